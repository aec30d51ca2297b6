// The shape of one API call: its declaration is the single source for validation, auth, weight,
// the OpenAPI description and the handler (DESIGN.md "One table of calls").
import type { z } from "zod";
import type { User } from "../accounts/store";
import type { Db } from "../db/client";
import type { Settings } from "../settings";
import type { Envelope } from "./envelope";

/**
 * Who may call:
 * - "none": anyone (limited per client IP);
 * - "account": `userid`, plus a valid `token` unless the account is temporary;
 * - "token": `userid` and a valid `token`, whatever the account type.
 */
export type Auth = "none" | "account" | "token";

/** The file part of a multipart call (`file`, `file_part_upload`), still unread. */
export interface Upload {
  fieldName: string;
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

export interface CallContext {
  env: Cloudflare.Env;
  db: Db;
  settings: Settings;
  /** the call's time, in µs (also the envelope's utime) */
  nowUs: number;
  /** origin for absolute URLs: PUBLIC_ORIGIN, or the request's own */
  origin: string;
  /** CF-Connecting-IP, or "" when absent (local tools) */
  ip: string;
  waitUntil(promise: Promise<unknown>): void;
  /** the authenticated account; set for every call whose auth is not "none" */
  user: User | null;
  /** the token the call was made with, when it had one */
  token: string | null;
  /** the file part, for multipart calls */
  upload: Upload | null;
  /** run another call through the whole pipeline (used by multi) */
  dispatch(type: string, input: unknown): Promise<Envelope>;
  /** true inside multi */
  nested: boolean;
}

/** The context of a call made with an account (auth "account" or "token"): dispatch set `user`. */
export interface AccountContext extends CallContext {
  user: User;
}

/** The handler's context: with the account for calls that authenticate one. */
export type ContextOf<A extends Auth> = A extends "none" ? CallContext : AccountContext;

export type Output = Record<string, unknown>;

export interface CallDef<S extends z.ZodType = z.ZodType, O extends Output = Output, A extends Auth = Auth> {
  type: string;
  summary: string;
  input: S;
  auth: A;
  /** the weight charged before running (CONTRACT.md "Weights") */
  weight: (input: z.output<S>) => number;
  /** the weight finally due once the output is known, when less than charged (the rest is refunded) */
  settle?: (input: z.output<S>, output: O) => number;
  /** the weight the envelope reports when it is not what this call itself was charged (multi: the sum of its calls) */
  reportedWeight?: (output: O) => number;
  /** "multipart" calls read a `query` part and a file part */
  body?: "json" | "multipart";
  /** may not run inside multi */
  notInMulti?: boolean;
  handler: (c: ContextOf<A>, input: z.output<S>) => Promise<O>;
}

/** Declares a call; the identity function that lets TypeScript infer the input type and context. */
export function defineCall<S extends z.ZodType, O extends Output, A extends Auth>(
  def: CallDef<S, O, A>,
): CallDef<S, O, A> {
  return def;
}

/** Weight that does not depend on the input. */
export const fixed = (w: number) => (): number => w;
