// The charging hook of the call pipeline: dispatch calls `charge` with a call's weight before it
// runs and `refund` with any unused part afterwards. Rate limiting proper (the UserLimiter Durable
// Object, per-IP buckets, 429s) plugs in here; until then every call is admitted and the weight is
// only reported.
import type { CallContext } from "../api/registry";

export interface ChargeResult {
  /** headers to add to the HTTP response (X-RateLimit-*) */
  headers: Record<string, string>;
}

export async function charge(_c: CallContext, _weight: number): Promise<ChargeResult> {
  return { headers: {} };
}

export async function refund(_c: CallContext, _weight: number): Promise<void> {}
