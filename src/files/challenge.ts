// The one place where the challenge of an encrypted file is checked. A wrong challenge is a
// password guess made offline-hard by AES-GCM, but it is still a guess: the per-target guess
// throttle (src/limits/auth-throttle.ts) belongs around `checkChallenge`.
import { constantTimeEqual, sha256Hex } from "../accounts/secrets";
import { ApiError } from "../api/errors";
import type { CallContext } from "../api/registry";
import type { Entry } from "../links/entry-store";

/** Throws 403 unless SHA-256(challenge) equals the stored hash (compared in constant time). */
export async function checkChallenge(_c: CallContext, entry: Entry, challenge: string): Promise<void> {
  const right = constantTimeEqual(await sha256Hex(challenge.toLowerCase()), entry.challengeHash);
  if (!right) {
    throw new ApiError("forbidden", "The challenge is not right for this file.", { field: "challenge" });
  }
}
