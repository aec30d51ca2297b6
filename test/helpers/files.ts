// Files the way the reference's Python sends them: a multipart body with the `query` part first
// and the bytes in a part named after the file; encryption as pycryptodome AES-GCM does it.
import { env } from "cloudflare:workers";
import { parseLossless, stringifyLossless } from "../../src/api/lossless-json";
import { API, fetchWorker, type Reply } from "./api";

const enc = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const BOUNDARY = "b4f1c0ffee0123456789abcdef";

/** The head of the body (boundary, query part, the file part's header) and its tail. */
export function multipartFrame(
  query: unknown,
  file: { name?: string; filename: string; type?: string | null },
  boundary = BOUNDARY,
): { head: Uint8Array; tail: Uint8Array } {
  const q = typeof query === "string" ? query : stringifyLossless(query);
  const name = file.name ?? file.filename;
  const type = file.type ?? "application/octet-stream";
  const head = enc.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="query"\r\nContent-Type: application/json\r\n\r\n${q}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${file.filename}"\r\nContent-Type: ${type}\r\n\r\n`,
  );
  const tail = enc.encode(`\r\n--${boundary}--\r\n`);
  return { head, tail };
}

export function multipartBody(query: unknown, file: { filename: string; type?: string | null }, bytes: Uint8Array) {
  const { head, tail } = multipartFrame(query, file);
  return concat([head, bytes, tail]);
}

async function reply(res: Response): Promise<Reply> {
  const raw = await res.text();
  return { status: res.status, headers: res.headers, body: raw ? parseLossless(raw) : null };
}

/** POST a multipart call (file, file_part_upload) with the bytes as the file part. */
export async function postFile(
  type: string,
  query: Record<string, unknown>,
  bytes: Uint8Array,
  file: { filename?: string; type?: string | null } = {},
): Promise<Reply> {
  const filename = file.filename ?? (query.filename as string | undefined) ?? "part.bin";
  const body = multipartBody(query, { filename, type: file.type ?? null }, bytes);
  const res = await fetchWorker(`${API}/v2/${type}`, {
    method: "POST",
    body,
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
  });
  return reply(res);
}

/** POST a multipart call whose body is a stream (no declared length), made of `chunks`. */
export async function postFileStream(
  type: string,
  query: Record<string, unknown>,
  chunks: () => AsyncGenerator<Uint8Array>,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const { head, tail } = multipartFrame(query, { filename: (query.filename as string) ?? "part.bin" });
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(head);
      for await (const c of chunks()) controller.enqueue(c);
      controller.enqueue(tail);
      controller.close();
    },
  });
  const res = await fetchWorker(`${API}/v2/${type}`, {
    method: "POST",
    body: stream,
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
  });
  return reply(res);
}

/** Deterministic pseudo-random bytes. */
export function bytesOf(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export async function sha256(bytes: Uint8Array | ArrayBuffer): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const hexOf = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
export const fromHex = (h: string) => new Uint8Array((h.match(/../g) ?? []).map((x) => Number.parseInt(x, 16)));

/** key = SHA-256(SHA-256(password)), as the reference's encrypt_data. */
async function fileKey(password: string): Promise<CryptoKey> {
  const once = await crypto.subtle.digest("SHA-256", enc.encode(password));
  const twice = await crypto.subtle.digest("SHA-256", once);
  return crypto.subtle.importKey("raw", twice, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** encrypt_data: iv (12) + ciphertext + tag (16). */
export async function encryptData(data: Uint8Array, password: string): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await fileKey(password), data));
  return concat([iv, ct]);
}

/** decrypt_data: the inverse; throws on a wrong password or corrupted data. */
export async function decryptData(data: Uint8Array, password: string): Promise<Uint8Array> {
  const iv = data.subarray(0, 12);
  return new Uint8Array(
    await crypto.subtle.decrypt({ name: "AES-GCM", iv }, await fileKey(password), data.subarray(12)),
  );
}

/** encrypt_file: 4-byte little-endian length + encrypt_data(raw), challenge and signature as hex. */
export async function encryptFile(raw: Uint8Array, password: string) {
  const challenge = crypto.getRandomValues(new Uint8Array(16));
  const signature = await encryptData(challenge, password);
  const body = await encryptData(raw, password);
  const prefix = new Uint8Array(4);
  new DataView(prefix.buffer).setUint32(0, body.length, true);
  return { data: concat([prefix, body]), challenge: hexOf(challenge), signature: hexOf(signature) };
}

/** Every key in the R2 bucket. */
export async function bucketKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.FILES.list(cursor ? { cursor } : {});
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}
