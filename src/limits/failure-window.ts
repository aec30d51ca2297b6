// Sliding-window failure counting, pure: after `maxFailures` failures within `windowS`, a key is
// throttled until the oldest of those failures leaves the window. Used by the auth-failure throttle
// (login per target account, reset codes, file challenges).

export interface FailurePolicy {
  maxFailures: number;
  windowS: number;
}

const US_PER_SECOND = 1_000_000;

/** The failure times (µs, ascending) still inside the window at `nowUs`. */
export function inWindow(failuresUs: readonly number[], policy: FailurePolicy, nowUs: number): number[] {
  const sinceUs = nowUs - policy.windowS * US_PER_SECOND;
  return failuresUs.filter((t) => t > sinceUs);
}

/** When the key stops being throttled (µs), or 0 when it is not throttled at `nowUs`. */
export function throttledUntilUs(failuresUs: readonly number[], policy: FailurePolicy, nowUs: number): number {
  const recent = inWindow(failuresUs, policy, nowUs);
  if (recent.length < policy.maxFailures) return 0;
  // Once the (length - max + 1) oldest have left the window, fewer than max remain.
  const pivot = recent[recent.length - policy.maxFailures] as number;
  return pivot + policy.windowS * US_PER_SECOND;
}

/** Whole seconds (at least 1) from `nowUs` to `untilUs`. */
export function retryAfterS(untilUs: number, nowUs: number): number {
  return Math.max(1, Math.ceil((untilUs - nowUs) / US_PER_SECOND));
}
