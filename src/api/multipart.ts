// Reading a multipart/form-data call as a stream: the `query` part (the JSON input) is read whole,
// and the first other part (the bytes; its field name is the file name in the reference's
// examples, so any name is accepted) is handed on as a stream that ends at the next boundary.
// Nothing is buffered beyond one chunk plus a boundary's length, so uploads of any size pass
// through in constant memory. The `query` part must come before the file part (as the
// reference's Python `files` dict sends it, and as a browser's FormData sends what was appended
// first): a file part before it is refused.
import { ApiError } from "./errors";
import type { Upload } from "./registry";

/** The Workers request body limit (100 MB on Free and Pro plans): larger multipart bodies are 413. */
export const MAX_MULTIPART_BYTES = 100 * 1024 * 1024;
/** The largest `query` part (and any other small field before the file part). */
export const MAX_QUERY_PART_BYTES = 1024 * 1024;
/** The largest header block of one part. */
const MAX_PART_HEADER_BYTES = 16 * 1024;

const CRLF = new Uint8Array([13, 10]);
const CRLFCRLF = new Uint8Array([13, 10, 13, 10]);

const bad = (message: string) => new ApiError("invalid_json", message);

/** The boundary of a multipart Content-Type, or null when there is none. */
export function boundaryOf(contentType: string): string | null {
  const m = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** Index of `needle` in `hay` at or after `from`, or -1. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  if (first === undefined) return from;
  const last = hay.length - needle.length;
  let i = hay.indexOf(first, from);
  while (i !== -1 && i <= last) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
    i = hay.indexOf(first, i + 1);
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** A byte stream with a look-ahead buffer. */
class Scanner {
  private buf: Uint8Array = new Uint8Array(0);
  private done = false;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Reads one more chunk into the buffer; false at the end of the stream. */
  async fill(): Promise<boolean> {
    if (this.done) return false;
    const { done, value } = await this.reader.read();
    if (done) {
      this.done = true;
      return false;
    }
    this.buf = concat(this.buf, value);
    return true;
  }

  /** The bytes before `delim` (consumed together with it); null if the stream ends first. */
  async readUntil(delim: Uint8Array, max: number, tooLarge: () => Error): Promise<Uint8Array | null> {
    let from = 0;
    for (;;) {
      const at = indexOfBytes(this.buf, delim, from);
      if (at !== -1) {
        if (at > max) throw tooLarge();
        const before = this.buf.slice(0, at);
        this.buf = this.buf.subarray(at + delim.length);
        return before;
      }
      if (this.buf.length > max + delim.length) throw tooLarge();
      from = Math.max(0, this.buf.length - delim.length + 1);
      if (!(await this.fill())) return null;
    }
  }

  /** Makes sure at least `n` bytes are buffered (fewer only at the end of the stream). */
  async ensure(n: number): Promise<void> {
    while (this.buf.length < n && (await this.fill())) {}
  }

  peek(n: number): Uint8Array {
    return this.buf.subarray(0, n);
  }

  skip(n: number): void {
    this.buf = this.buf.subarray(n);
  }

  /**
   * Takes what can be emitted before a possible `delim`: everything up to it when it is buffered
   * (then `found`), else all but the last `delim.length - 1` bytes. null at the end of the stream
   * without the delimiter.
   */
  async takeBefore(delim: Uint8Array): Promise<{ bytes: Uint8Array; found: boolean } | null> {
    for (;;) {
      const at = indexOfBytes(this.buf, delim);
      // Views, not copies: the buffer is never written to once filled.
      if (at !== -1) {
        const bytes = this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + delim.length);
        return { bytes, found: true };
      }
      const safe = this.buf.length - (delim.length - 1);
      if (safe > 0) {
        const bytes = this.buf.subarray(0, safe);
        this.buf = this.buf.subarray(safe);
        return { bytes, found: false };
      }
      if (!(await this.fill())) return null;
    }
  }

  async cancel(): Promise<void> {
    this.done = true;
    await this.reader.cancel().catch(() => {});
  }
}

export interface PartHeaders {
  name: string | null;
  filename: string | null;
  contentType: string;
}

/** A Content-Disposition parameter's value (quoted or token; `filename*` as RFC 5987). */
function dispositionParam(value: string, key: string): string | null {
  const star = new RegExp(`;\\s*${key}\\*\\s*=\\s*([^']*)'[^']*'([^;\\s]*)`, "i").exec(value);
  if (star?.[2] !== undefined) {
    try {
      return decodeURIComponent(star[2]);
    } catch {
      // fall through to the plain parameter
    }
  }
  const quoted = new RegExp(`;\\s*${key}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`, "i").exec(value);
  if (quoted?.[1] !== undefined) return quoted[1].replace(/\\(.)/g, "$1");
  const token = new RegExp(`;\\s*${key}\\s*=\\s*([^;\\s"]+)`, "i").exec(value);
  return token?.[1] ?? null;
}

export function parsePartHeaders(block: string): PartHeaders {
  const out: PartHeaders = { name: null, filename: null, contentType: "" };
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon === -1) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-disposition") {
      const params = value.slice(value.indexOf(";") === -1 ? value.length : value.indexOf(";"));
      out.name = dispositionParam(params, "name");
      out.filename = dispositionParam(params, "filename");
    } else if (key === "content-type") {
      out.contentType = value;
    }
  }
  return out;
}

/**
 * Reads the parts before the file part, and returns the `query` text and the file part as a
 * stream. `upload` is null when the body holds no part besides `query`.
 */
export async function readMultipartStream(
  body: ReadableStream<Uint8Array> | null,
  contentType: string,
): Promise<{ query: string; upload: Upload | null }> {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw bad("The multipart body has no boundary.");
  if (!body) throw bad("The multipart body is empty.");
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const opening = enc.encode(`--${boundary}`);
  const delimiter = enc.encode(`\r\n--${boundary}`);
  const scanner = new Scanner(body.getReader());
  const fail = async (err: Error): Promise<never> => {
    await scanner.cancel();
    throw err;
  };

  // Preamble, then the first boundary. Prefixing CRLF lets one delimiter serve both cases.
  const preamble = await scanner.readUntil(opening, MAX_QUERY_PART_BYTES, () =>
    bad("The multipart body is malformed."),
  );
  if (preamble === null) return fail(bad("The multipart body has no parts."));

  let query: string | null = null;
  for (;;) {
    // After a boundary: "--" closes the body; otherwise optional padding and CRLF start a part.
    await scanner.ensure(2);
    const after = scanner.peek(2);
    if (after[0] === 45 && after[1] === 45) {
      await scanner.cancel();
      return { query: query ?? "", upload: null };
    }
    const lineEnd = await scanner.readUntil(CRLF, 256, () => bad("The multipart body is malformed."));
    if (lineEnd === null || dec.decode(lineEnd).trim() !== "") return fail(bad("The multipart body is malformed."));
    const headerBytes = await scanner.readUntil(CRLFCRLF, MAX_PART_HEADER_BYTES, () =>
      bad("A multipart part has too large a header."),
    );
    if (headerBytes === null) return fail(bad("The multipart body ended inside a part's header."));
    const headers = parsePartHeaders(dec.decode(headerBytes));

    if (headers.name === "query") {
      if (query !== null) return fail(bad("The multipart body has two query parts."));
      const content = await scanner.readUntil(
        delimiter,
        MAX_QUERY_PART_BYTES,
        () => new ApiError("too_large", `The query part may be at most ${MAX_QUERY_PART_BYTES} bytes.`),
      );
      if (content === null) return fail(bad("The multipart body ended inside the query part."));
      query = dec.decode(content);
      continue;
    }
    if (query === null) {
      return fail(
        new ApiError("invalid_input", "The query part must come before the file part of the multipart body.", {
          field: "query",
        }),
      );
    }
    return {
      query,
      upload: {
        fieldName: headers.name ?? "",
        filename: headers.filename ?? headers.name ?? "",
        contentType: headers.contentType,
        body: partStream(scanner, delimiter),
      },
    };
  }
}

/** The bytes of one part, up to the next delimiter; errors if the body ends before it. */
function partStream(scanner: Scanner, delimiter: Uint8Array): ReadableStream<Uint8Array> {
  let finished = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          if (finished) return;
          const next = await scanner.takeBefore(delimiter);
          if (next === null) {
            finished = true;
            controller.error(new MultipartTruncated());
            return;
          }
          if (next.found) {
            finished = true;
            if (next.bytes.length > 0) controller.enqueue(next.bytes);
            controller.close();
            // What follows (other parts, the closing boundary) is not needed.
            await scanner.cancel();
            return;
          }
          if (next.bytes.length > 0) {
            controller.enqueue(next.bytes);
            return;
          }
        }
      },
      async cancel() {
        finished = true;
        await scanner.cancel();
      },
    },
    { highWaterMark: 0 },
  );
}

/** The body ended before the file part's closing boundary (a truncated upload). */
export class MultipartTruncated extends Error {
  constructor() {
    super("The multipart body ended before the end of the file part.");
    this.name = "MultipartTruncated";
  }
}

export async function readMultipart(request: Request): Promise<{ query: string; upload: Upload | null }> {
  return readMultipartStream(request.body, request.headers.get("content-type") ?? "");
}
