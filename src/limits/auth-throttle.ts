// Throttling of guessable secrets (passwords, reset codes, file challenges) per target: after
// `maxFailures` failures within `windowS` for one key, the key answers 429 `rate_limited` until the
// oldest of them leaves the window, whatever is sent. The failures of a key are counted in its own
// UserLimiter (`throttle:<key>`), one request at a time, so concurrent guesses are counted exactly.
//
// Keys name the target, not the client, so guesses from many addresses add up:
//   login:<userid>  (or login:<lower-cased name> for an unknown name, so both behave the same)
//   reset:<lower-cased email>, file:<filekey>  (for reset_password and get_protected_file_info)
//
// The usual shape of a guarded check:
//   await admitAttempt(c.env, key);          // 429 if throttled; else counts this attempt as a failure
//   if (!(await secretIsRight())) throw ...;  // the failure stays counted
//   await clearFailures(c.env, key);          // right: forget the key's failures
import { getLimitSettings } from "../accounts/limits-config";
import { ApiError } from "../api/errors";
import { limiterStub } from "./charge";
import type { FailurePolicy } from "./failure-window";

export type { FailurePolicy } from "./failure-window";

function stub(env: Cloudflare.Env, key: string) {
  return limiterStub(env, `throttle:${key}`);
}

/** The policy of CONTRACT.md: 10 failures in 15 minutes (LOGIN_MAX_FAILURES, LOGIN_FAILURE_WINDOW_S). */
export function defaultPolicy(env: Cloudflare.Env): FailurePolicy {
  return getLimitSettings(env).loginFailures;
}

function throttled(retryAfterS: number): ApiError {
  return new ApiError("rate_limited", `Too many failed attempts. Retry in ${retryAfterS} s.`, { retryAfterS });
}

/**
 * Throws 429 when `key` is throttled; otherwise records this attempt as a failure right away, in
 * the same step, so that N concurrent guesses are N failures. Call `clearFailures` on success.
 */
export async function admitAttempt(env: Cloudflare.Env, key: string, policy = defaultPolicy(env)): Promise<void> {
  const outcome = await stub(env, key).admitAttempt(policy);
  if (!outcome.ok) throw throttled(outcome.retryAfterS);
}

/** Throws 429 when `key` is throttled; records nothing (pair with `recordFailure`). */
export async function assertNotThrottled(env: Cloudflare.Env, key: string, policy = defaultPolicy(env)): Promise<void> {
  const outcome = await stub(env, key).checkAttempt(policy);
  if (!outcome.ok) throw throttled(outcome.retryAfterS);
}

/** Records one failure for `key`; returns the failures now inside the window. */
export async function recordFailure(env: Cloudflare.Env, key: string, policy = defaultPolicy(env)): Promise<number> {
  return stub(env, key).recordFailure(policy);
}

/** Forgets the failures of `key` (the secret was right). */
export async function clearFailures(env: Cloudflare.Env, key: string): Promise<void> {
  await stub(env, key).clearFailures();
}
