// The call pipeline: look up ─► validate ─► weigh ─► authenticate ─► charge ─► run ─► envelope.
// The only place that authenticates, charges and wraps envelopes; multi comes back through here.
import { authenticate } from "../accounts/auth";
import { callsByType } from "../calls";
import { getDb } from "../db/client";
import { charge, refund } from "../limits/charge";
import { getSettings } from "../settings";
import { nowUs } from "./clock";
import { type Envelope, errorEnvelope, successEnvelope } from "./envelope";
import { ApiError } from "./errors";
import type { CallContext, Upload } from "./registry";
import { validateInput } from "./validate";

export interface RequestScope {
  env: Cloudflare.Env;
  waitUntil(promise: Promise<unknown>): void;
  origin: string;
  ip: string;
}

export interface DispatchResult {
  envelope: Envelope;
  headers: Record<string, string>;
}

export async function dispatch(
  scope: RequestScope,
  type: string,
  rawInput: unknown,
  options: { upload?: Upload | null; nested?: boolean } = {},
): Promise<DispatchResult> {
  const utime = nowUs();
  let charged = 0;
  let c: CallContext | null = null;
  // multi answers with the X-RateLimit headers of the last call it ran that had some.
  let nestedHeaders: Record<string, string> = {};
  // X-RateLimit-* once charged: on successes, and on failures after the charge too.
  let rateHeaders: Record<string, string> = {};
  try {
    const def = callsByType.get(type);
    if (!def) throw new ApiError("unknown_call", `There is no call named "${type}".`);
    if (options.nested && def.notInMulti) {
      throw new ApiError("invalid_input", `${type} cannot run inside multi.`, { field: "type" });
    }
    const input = validateInput(def.input, rawInput) as Record<string, unknown>;
    const weight = def.weight(input);
    const settings = getSettings(scope.env);
    const db = getDb(scope.env.DB);
    c = {
      env: scope.env,
      db,
      settings,
      nowUs: utime,
      origin: settings.publicOrigin || scope.origin,
      ip: scope.ip,
      waitUntil: scope.waitUntil,
      user: null,
      token: null,
      upload: options.upload ?? null,
      nested: options.nested ?? false,
      dispatch: async (subType, subInput) => {
        const sub = await dispatch(scope, subType, subInput, { nested: true });
        if (Object.keys(sub.headers).length > 0) nestedHeaders = sub.headers;
        return sub.envelope;
      },
    };
    if (def.auth !== "none") {
      const token = typeof input.token === "string" ? input.token : undefined;
      c.user = await authenticate(db, def.auth, input.userid as string | undefined, token, utime);
      c.token = token ?? null;
    }
    rateHeaders = (await charge(c, weight)).headers;
    charged = weight;
    const output = await def.handler(c, input);
    if (def.settle) {
      const due = Math.min(weight, def.settle(input, output));
      if (due < weight) {
        const after = (await refund(c, weight - due)).headers;
        charged = due;
        if (Object.keys(after).length > 0) rateHeaders = after;
      }
    }
    const reported = def.reportedWeight ? def.reportedWeight(output) : charged;
    const replyHeaders = Object.keys(nestedHeaders).length > 0 ? nestedHeaders : rateHeaders;
    return { envelope: successEnvelope(type, output, reported, utime), headers: replyHeaders };
  } catch (err) {
    // The message only: D1 and runtime messages carry no bound values; inputs and stacks stay out.
    if (!(err instanceof ApiError)) console.error(`call ${type} failed:`, err instanceof Error ? err.message : "error");
    // A 429 is charged nothing, also when the call itself refused (an auth-failure throttle).
    if (err instanceof ApiError && err.code === "rate_limited" && charged > 0 && c) {
      try {
        await refund(c, charged);
        charged = 0;
      } catch {
        console.error(`refund of a refused ${type} failed; the envelope reports the charge`);
      }
    }
    return { envelope: errorEnvelope(type, err, charged, utime), headers: charged > 0 ? rateHeaders : {} };
  }
}
