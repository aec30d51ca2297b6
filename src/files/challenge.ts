// The one place where the challenge of an encrypted file is checked. The challenge is 128 random
// bits, so guessing it online is hopeless; the throttle bounds the hammering all the same: after
// CHALLENGE_POLICY.maxFailures wrong challenges for one file within the window, the file answers
// 429 to everybody until the window passes. The threshold is looser than login's because the
// short URL is public and a lock-out would deny the file to the people it was shared with.
import { constantTimeEqual, sha256Hex } from "../accounts/secrets";
import { ApiError } from "../api/errors";
import type { CallContext } from "../api/registry";
import { assertNotThrottled, recordFailure } from "../limits/auth-throttle";
import type { Entry } from "../links/entry-store";

/** Throws 403 unless SHA-256(challenge) equals the stored hash (compared in constant time). */
export async function checkChallenge(c: CallContext, entry: Entry, challenge: string): Promise<void> {
  const key = `file:${entry.filekey}`;
  await assertNotThrottled(c.env, key, CHALLENGE_POLICY);
  const right = constantTimeEqual(await sha256Hex(challenge.toLowerCase()), entry.challengeHash);
  if (!right) {
    await recordFailure(c.env, key, CHALLENGE_POLICY);
    throw new ApiError("forbidden", "The challenge is not right for this file.", { field: "challenge" });
  }
}

/** Wrong challenges allowed per file within the window before it answers 429. */
export const CHALLENGE_POLICY = { maxFailures: 100, windowS: 900 };
