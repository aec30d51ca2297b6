// Account types and their limits (CONTRACT.md "Weights and rate limits"), from settings in env
// ([vars] of wrangler.toml, documented in README and docs/limits.md). A `custom` account takes the
// registered limits, overridden by the JSON in its `users.custom_limits` column.
import type { BucketLimits } from "../limits/bucket";
import type { FailurePolicy } from "../limits/failure-window";
import { intSetting } from "../settings";
import type { AccountType } from "./store";

export interface AccountLimits {
  api: BucketLimits;
  link: BucketLimits;
}

export interface LimitSettings {
  temporary: AccountLimits;
  registered: AccountLimits;
  verified: AccountLimits;
  /** the api bucket of one client IP, for calls made without an account */
  ip: BucketLimits;
  /** login: failures per target account before it answers 429 */
  loginFailures: FailurePolicy;
  /** how often an isolate re-reads an owner's link balance for the redirect gate */
  linkGateRefreshMs: number;
}

const cache = new WeakMap<object, LimitSettings>();

function bucket(env: Cloudflare.Env, capacity: keyof Cloudflare.Env, refill: keyof Cloudflare.Env): BucketLimits {
  return { capacity: intSetting(env, capacity, 1), refillPerSecond: intSetting(env, refill, 0) };
}

export function getLimitSettings(env: Cloudflare.Env): LimitSettings {
  let s = cache.get(env);
  if (s) return s;
  s = {
    temporary: {
      api: bucket(env, "API_CAPACITY_TEMPORARY", "API_REFILL_PER_S_TEMPORARY"),
      link: bucket(env, "LINK_CAPACITY_TEMPORARY", "LINK_REFILL_PER_S_TEMPORARY"),
    },
    registered: {
      api: bucket(env, "API_CAPACITY_REGISTERED", "API_REFILL_PER_S_REGISTERED"),
      link: bucket(env, "LINK_CAPACITY_REGISTERED", "LINK_REFILL_PER_S_REGISTERED"),
    },
    verified: {
      api: bucket(env, "API_CAPACITY_VERIFIED", "API_REFILL_PER_S_VERIFIED"),
      link: bucket(env, "LINK_CAPACITY_VERIFIED", "LINK_REFILL_PER_S_VERIFIED"),
    },
    ip: bucket(env, "IP_API_CAPACITY", "IP_API_REFILL_PER_S"),
    loginFailures: {
      maxFailures: intSetting(env, "LOGIN_MAX_FAILURES", 1),
      windowS: intSetting(env, "LOGIN_FAILURE_WINDOW_S", 1),
    },
    linkGateRefreshMs: intSetting(env, "LINK_GATE_REFRESH_MS", 1),
  };
  cache.set(env, s);
  return s;
}

/** The keys of `users.custom_limits`, named as get_account_info names them. */
const CUSTOM_KEYS = {
  api_capacity: ["api", "capacity"],
  api_refill_rate: ["api", "refillPerSecond"],
  link_capacity: ["link", "capacity"],
  link_refill_rate: ["link", "refillPerSecond"],
} as const;

/**
 * Parses `users.custom_limits`, e.g. `{"api_capacity": 1000000, "api_refill_rate": 20000}`: any
 * subset of api_capacity, api_refill_rate, link_capacity, link_refill_rate (non-negative integers,
 * capacities at least 1) over the registered limits. A malformed value is reported by throwing.
 */
export function parseCustomLimits(json: string, base: AccountLimits): AccountLimits {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error("custom_limits must be a JSON object");
  }
  const out: AccountLimits = { api: { ...base.api }, link: { ...base.link } };
  for (const [key, [bucketName, field]] of Object.entries(CUSTOM_KEYS)) {
    const v = (parsed as Record<string, unknown>)[key];
    if (v === undefined || v === null) continue;
    const min = field === "capacity" ? 1 : 0;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) {
      throw new Error(`custom_limits.${key} must be an integer of at least ${min}`);
    }
    out[bucketName][field] = v;
  }
  return out;
}

/** The limits of an account: by its type; `custom` from its own overrides of the registered ones. */
export function limitsFor(user: { type: AccountType; customLimits: string | null }, s: LimitSettings): AccountLimits {
  if (user.type !== "custom") return s[user.type];
  if (!user.customLimits) return s.registered;
  try {
    return parseCustomLimits(user.customLimits, s.registered);
  } catch (err) {
    // An operator's typo must not lock the account out: it gets the registered limits meanwhile.
    console.error("custom_limits ignored:", err instanceof Error ? err.message : "malformed");
    return s.registered;
  }
}
