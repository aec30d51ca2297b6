// The charging hook of the call pipeline: dispatch calls `charge` with a call's weight once the
// caller is known and before the call runs, and `refund` with any unused part afterwards.
// An account is charged in its own UserLimiter (named by its userid); a call made without an
// account, in the UserLimiter of its client IP (`ip:<CF-Connecting-IP>`). A request without
// CF-Connecting-IP (only local tools: Cloudflare always sets it) is not limited per IP.
// docs/limits.md has the numbers and the reasons.
import { getLimitSettings, limitsFor } from "../accounts/limits-config";
import { ApiError } from "../api/errors";
import type { CallContext } from "../api/registry";
import type { BucketLimits } from "./bucket";
import type { BucketView, ChargeOutcome, UserLimiter } from "./user-limiter";

export interface ChargeResult {
  /** headers to add to the HTTP response (X-RateLimit-*) */
  headers: Record<string, string>;
}

/** The limiter of a name: a userid, `ip:<address>` or `throttle:<key>`. */
export function limiterStub(env: Cloudflare.Env, name: string): DurableObjectStub<UserLimiter> {
  return env.USER_LIMITER.get(env.USER_LIMITER.idFromName(name));
}

interface Target {
  name: string;
  limits: { api: BucketLimits; link?: BucketLimits };
}

/** Whom a call is charged to, or null when nobody (no account and no client IP). */
function target(c: CallContext): Target | null {
  const settings = getLimitSettings(c.env);
  if (c.user) return { name: c.user.userid, limits: limitsFor(c.user, settings) };
  if (c.ip) return { name: `ip:${c.ip}`, limits: { api: settings.ip } };
  return null;
}

/** X-RateLimit-Limit (capacity), -Remaining (balance after the call), -Reset (seconds until full). */
export function rateLimitHeaders(api: BucketView): Record<string, string> {
  return {
    "x-ratelimit-limit": String(api.capacity),
    "x-ratelimit-remaining": String(Math.max(0, api.balance)),
    "x-ratelimit-reset": String(api.fullInS),
  };
}

type Admitted = Extract<ChargeOutcome, { ok: true }>;

/** What each call's charge saw, for get_account_info (the balance before its own cost). */
const admitted = new WeakMap<CallContext, Admitted>();

/**
 * Charges `weight` to the caller's api bucket, or throws 429 `rate_limited` (charging nothing) when
 * it does not fit. A weight of 0 only reads the bucket, for the headers.
 */
export async function charge(c: CallContext, weight: number): Promise<ChargeResult> {
  const t = target(c);
  if (!t) return { headers: {} };
  const outcome = await limiterStub(c.env, t.name).charge(t.limits, weight);
  if (!outcome.ok) {
    const who = c.user ? "this account" : "this address";
    const message =
      weight > outcome.api.capacity
        ? `This call weighs ${weight}, more than the ${outcome.api.capacity} ${who} may spend at once.`
        : `Too many calls: this call weighs ${weight} and ${who} has ${Math.max(0, outcome.api.balance)} left. Retry in ${outcome.retryAfterS} s.`;
    throw new ApiError("rate_limited", message, { retryAfterS: outcome.retryAfterS });
  }
  admitted.set(c, outcome);
  return { headers: rateLimitHeaders(outcome.api) };
}

/** Gives back `weight` (the unused part of a charge) to whoever `charge` charged; the headers after it. */
export async function refund(c: CallContext, weight: number): Promise<ChargeResult> {
  const t = target(c);
  if (!t || weight <= 0) return { headers: {} };
  return { headers: rateLimitHeaders(await limiterStub(c.env, t.name).refund(t.limits, weight)) };
}

/**
 * The account's buckets as this call's charge found them: `apiBefore` is the api bucket before the
 * call's own cost. Read again (without charging) when the call was not charged to its account.
 */
export async function bucketsAtCharge(c: CallContext): Promise<{ apiBefore: BucketView; link: BucketView }> {
  const seen = admitted.get(c);
  if (seen?.link) return { apiBefore: seen.apiBefore, link: seen.link };
  if (!c.user) throw new Error("bucketsAtCharge needs an account");
  const limits = limitsFor(c.user, getLimitSettings(c.env));
  const read = await limiterStub(c.env, c.user.userid).charge(limits, 0);
  if (!read.ok || !read.link) throw new Error("reading the buckets failed");
  return { apiBefore: read.apiBefore, link: read.link };
}
