// Unix time in microseconds. Workers expose only millisecond clocks, so within one isolate the
// value is made strictly increasing by stepping 1 µs past the last one handed out: two calls never
// share a utime, which keeps "newest first" listings stable. (µs times stay below 2^53 until 2255,
// so a JS number holds them exactly.)
let lastUs = 0;

export function nowUs(): number {
  const t = Date.now() * 1000;
  lastUs = t > lastUs ? t : lastUs + 1;
  return lastUs;
}

export const US_PER_SECOND = 1_000_000;
