// The streaming multipart reader (pure): the query part read whole, the file part handed on as a
// stream, whatever the chunking of the body.
import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api/errors";
import { boundaryOf, indexOfBytes, parsePartHeaders, readMultipartStream } from "../src/api/multipart";

const enc = new TextEncoder();

function streamOf(bytes: Uint8Array, chunkSizes: number[]): ReadableStream<Uint8Array> {
  let at = 0;
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      const n = chunkSizes[i++ % chunkSizes.length] ?? 1;
      controller.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

async function readAll(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of s) chunks.push(c);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A body as python-requests writes it for files={"query": (None, q, 'application/json'), name: (name, data, type)}. */
function pythonBody(boundary: string, query: string, filename: string, data: Uint8Array, type = "image/png") {
  const head = enc.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="query"\r\nContent-Type: application/json\r\n\r\n${query}\r\n--${boundary}\r\nContent-Disposition: form-data; name="${filename}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
  );
  const tail = enc.encode(`\r\n--${boundary}--\r\n`);
  const out = new Uint8Array(head.length + data.length + tail.length);
  out.set(head);
  out.set(data, head.length);
  out.set(tail, head.length + data.length);
  return out;
}

describe("multipart reader", () => {
  const boundary = "9f8d7c6b5a4e3d2c1b0a";
  const ct = `multipart/form-data; boundary=${boundary}`;
  // Data full of near-boundaries: CRLF, dashes and prefixes of the delimiter.
  const tricky = enc.encode(`\r\n--${boundary.slice(0, 10)}\r\n-\r\n--\r\n--${boundary.slice(0, -1)}X end\r`);
  const data = new Uint8Array(3000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
  data.set(tricky, 1000);

  for (const sizes of [[1], [2, 3], [7], [64], [1000], [100000]]) {
    it(`reads query and file with chunks of ${sizes.join("/")} bytes`, async () => {
      const body = pythonBody(boundary, '{"filename":"a.png","filesize":3000}', "a.png", data);
      const { query, upload } = await readMultipartStream(streamOf(body, sizes), ct);
      expect(query).toBe('{"filename":"a.png","filesize":3000}');
      expect(upload).toMatchObject({ fieldName: "a.png", filename: "a.png", contentType: "image/png" });
      expect(await readAll(upload?.body as ReadableStream<Uint8Array>)).toEqual(data);
    });
  }

  it("an empty file part, and a body with the query only", async () => {
    const body = pythonBody(boundary, "{}", "e", new Uint8Array(0));
    const { upload } = await readMultipartStream(streamOf(body, [5]), ct);
    expect((await readAll(upload?.body as ReadableStream<Uint8Array>)).length).toBe(0);
    const only = enc.encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="query"\r\n\r\n{"a":1}\r\n--${boundary}--\r\n`,
    );
    expect(await readMultipartStream(streamOf(only, [3]), ct)).toEqual({ query: '{"a":1}', upload: null });
  });

  it("a truncated file part errors its stream", async () => {
    const body = pythonBody(boundary, "{}", "t", data).slice(0, -30);
    const { upload } = await readMultipartStream(streamOf(body, [100]), ct);
    await expect(readAll(upload?.body as ReadableStream<Uint8Array>)).rejects.toThrow(/ended before/);
  });

  it("refuses a file part before the query, a missing boundary, an oversized query", async () => {
    const fileFirst = enc.encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="f"\r\n\r\nX\r\n--${boundary}\r\nContent-Disposition: form-data; name="query"\r\n\r\n{}\r\n--${boundary}--\r\n`,
    );
    await expect(readMultipartStream(streamOf(fileFirst, [10]), ct)).rejects.toMatchObject({ code: "invalid_input" });
    await expect(readMultipartStream(streamOf(fileFirst, [10]), "multipart/form-data")).rejects.toBeInstanceOf(
      ApiError,
    );
    const big = pythonBody(boundary, `{"x":"${"a".repeat(1024 * 1024 + 10)}"}`, "f", data);
    await expect(readMultipartStream(streamOf(big, [65536]), ct)).rejects.toMatchObject({ code: "too_large" });
    await expect(readMultipartStream(streamOf(enc.encode("garbage"), [3]), ct)).rejects.toMatchObject({
      code: "invalid_json",
    });
  });

  it("parses boundaries and part headers", () => {
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe("a b");
    expect(boundaryOf("multipart/form-data; charset=utf-8; boundary=xyz")).toBe("xyz");
    expect(boundaryOf("multipart/form-data")).toBeNull();
    expect(
      parsePartHeaders(
        'Content-Disposition: form-data; name="f"; filename="na\\"me.png"; filename*=UTF-8\'\'r%C3%A9.png\r\nContent-Type: image/png',
      ),
    ).toEqual({ name: "f", filename: "ré.png", contentType: "image/png" });
    expect(parsePartHeaders("content-disposition: form-data; name=query").name).toBe("query");
    expect(indexOfBytes(enc.encode("abcabd"), enc.encode("abd"))).toBe(3);
    expect(indexOfBytes(enc.encode("abcab"), enc.encode("abd"))).toBe(-1);
  });
});
