// Streaming an upload into R2 with a length known in advance. R2 needs the length of a streamed
// body: a FixedLengthStream of the declared size carries it. The bytes are counted on their way
// through, so a body with fewer or more bytes than declared is told apart from a storage failure,
// and R2 never completes a write of the wrong length (the stream is aborted, so the put fails).

export type SizeProblem = "short" | "long" | "broken";

export type Streamed<T> = { ok: true; value: T } | { ok: false; problem: SizeProblem };

/**
 * Pipes `source` into `sink` through a FixedLengthStream of `expected` bytes. Returns the sink's
 * value, or the size problem of the source (the sink then failed or its result is to be undone by
 * the caller). A failure of the sink itself is thrown.
 */
export async function streamExactly<T>(
  source: ReadableStream<Uint8Array>,
  expected: number,
  sink: (body: ReadableStream<Uint8Array>) => Promise<T>,
): Promise<Streamed<T>> {
  const fixed = new FixedLengthStream(expected);
  const writer = fixed.writable.getWriter();
  const reader = source.getReader();
  let problem: SizeProblem | null = null;

  const pump = async (): Promise<void> => {
    let count = 0;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        problem = "broken";
        break;
      }
      if (chunk.done) break;
      count += chunk.value.byteLength;
      if (count > expected) {
        problem = "long";
        break;
      }
      // Resolves once the sink has taken the chunk: memory stays at about one chunk.
      await writer.write(chunk.value);
    }
    if (problem === null && count < expected) problem = "short";
    if (problem !== null) {
      await writer.abort(new Error(`upload ${problem}`)).catch(() => {});
      await reader.cancel().catch(() => {});
    } else {
      await writer.close();
    }
  };

  const [pumped, stored] = await Promise.allSettled([pump(), sink(fixed.readable)]);
  if (problem !== null) return { ok: false, problem };
  if (stored.status === "rejected") {
    await reader.cancel().catch(() => {});
    throw stored.reason;
  }
  if (pumped.status === "rejected") throw pumped.reason;
  return { ok: true, value: stored.value };
}
