// Drive the worker the way a client does: POST /v2/<type> with a JSON body (no content type, as
// the reference's `requests.post(url, json.dumps(query))` sends it).
import { exports } from "cloudflare:workers";
import { parseLossless, stringifyLossless } from "../../src/api/lossless-json";

export const API = "https://api.ww7io.com";

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: envelopes are checked field by field in tests
  body: any;
}

export async function fetchWorker(url: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(url, init));
}

/** POST a call; `body` is an object (serialized losslessly) or raw text sent as is. */
export async function post(type: string, body: unknown = {}, init: RequestInit = {}): Promise<Reply> {
  const text = typeof body === "string" ? body : stringifyLossless(body);
  const res = await fetchWorker(`${API}/v2/${type}`, { method: "POST", body: text, ...init });
  const raw = await res.text();
  return { status: res.status, headers: res.headers, body: raw ? parseLossless(raw) : null };
}

/** POST a call and expect success; returns its output. */
// biome-ignore lint/suspicious/noExplicitAny: outputs are checked field by field in tests
export async function ok(type: string, input: unknown = {}): Promise<any> {
  const r = await post(type, input);
  if (r.status !== 200 || r.body.status !== "success") {
    throw new Error(`${type} failed: ${r.status} ${JSON.stringify(r.body?.error)}`);
  }
  return r.body.output;
}

/** The reference's client-side password derivation: hex(SHA-256(SHA-256(password))). */
export async function derivePassword(password: string): Promise<string> {
  const once = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(password));
  const twice = await crypto.subtle.digest("SHA-256", once);
  return [...new Uint8Array(twice)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

let counter = 0;

/** A fresh registered account with a live token. */
export async function registered(prefix = "user") {
  counter += 1;
  const tag = `${prefix}${counter}${Math.random().toString(36).slice(2, 8)}`;
  const password = await derivePassword(`pw-${tag}`);
  const out = await ok("signup", { email: `${tag}@example.com`, username: tag, password });
  return {
    userid: out.userid as string,
    token: out.token as string,
    email: `${tag}@example.com`,
    username: tag,
    password,
  };
}

export async function temporary() {
  const out = await ok("temporary_account", {});
  return { userid: out.userid as string };
}

/** The credentials of an account, without the rest (for spreading into a call's input). */
export async function credsOf(account: Promise<{ userid: string; token: string }>) {
  const { userid, token } = await account;
  return { userid, token };
}
