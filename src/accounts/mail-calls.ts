// The account calls that go through mail: forgot_password, reset_password, verify_email; and the
// redemption of a verification link (GET /-/verify, src/web/mail-pages.ts).

import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { ApiError } from "../api/errors";
import { email, hex, password64, token, userid } from "../api/fields";
import { type CallContext, defineCall, fixed } from "../api/registry";
import type { Db } from "../db/client";
import { oneTimeCodes, tokens, users } from "../db/schema";
import { admitAttempt, clearFailures } from "../limits/auth-throttle";
import { resetLink, resetPasswordMail, verifyEmailMail, verifyLink } from "../mail/messages";
import { sendMail } from "../mail/send";
import {
  claimCode,
  codeIsLive,
  codeState,
  findCode,
  hashCode,
  newCode,
  retireOtherCodes,
  storeCode,
} from "./one-time-codes";
import { hashPassword, randomAlnum, sha256Hex } from "./secrets";
import { findUserById, findUserByLogin, isExpired, tokenLifetimeS } from "./store";

/** Background work of a call: failures are logged (without secrets), never surfaced. */
function inBackground(c: CallContext, what: string, work: () => Promise<unknown>): void {
  c.waitUntil(
    work().catch((err: unknown) => {
      console.error(`${what} failed:`, err instanceof Error ? err.message : "error");
    }),
  );
}

export const forgotPassword = defineCall({
  type: "forgot_password",
  summary: "Mail a link to set a new password. Answers the same whether or not the account exists.",
  input: z.object({ username_email: z.string({ error: "must be a string" }).min(1).max(254) }),
  auth: "none",
  weight: fixed(5000),
  async handler(c, input) {
    const user = await findUserByLogin(c.db, input.username_email);
    // The same work whether or not there is an account: one indexed read and a fresh hashed code;
    // storing the code and sending the mail happen after the answer (waitUntil).
    const { code, codeHash } = await newCode();
    const target = user?.email && user.type !== "temporary" && !isExpired(user, c.nowUs) ? user : null;
    if (target?.email) {
      const to = target.email;
      const { nowUs, origin, settings } = c;
      inBackground(c, "forgot_password mail", async () => {
        const lifetimeS = settings.resetCodeLifetimeS;
        const stored = await storeCode(
          c.db,
          { codeHash, kind: "reset_password", userid: target.userid, email: to, nowUs, lifetimeS },
          settings.mailIntervalS,
        );
        if (stored) await sendMail(c.env, resetPasswordMail(to, resetLink(origin, to, code), lifetimeS));
      });
    }
    return {};
  },
});

/**
 * The one place a reset attempt for `emailAddress` is refused (unknown, used or expired code, or a
 * code of another address). The attempt was already counted against the address by admitAttempt.
 */
function resetRefused(_c: CallContext, _emailAddress: string): never {
  throw new ApiError("forbidden", "This reset code is not valid: it is wrong, used or expired. Ask for a new link.", {
    field: "unique_code",
  });
}

export const resetPassword = defineCall({
  type: "reset_password",
  summary: "Set a new password with the unique_code mailed by forgot_password; revokes every token, returns a new one.",
  input: z.object({ email, unique_code: hex(32), password: password64 }),
  auth: "none",
  weight: fixed(5000),
  async handler(c, input) {
    // Codes are guessed per address: every attempt counts as a failure until it succeeds, so
    // concurrent guesses are counted exactly (10 in 15 minutes, then 429; docs/limits.md).
    const throttleKey = `reset:${input.email.toLowerCase()}`;
    await admitAttempt(c.env, throttleKey);
    const codeHash = await hashCode(input.unique_code);
    const row = await findCode(c.db, codeHash, "reset_password");
    if (codeState(row, c.nowUs) !== "live" || row?.email.toLowerCase() !== input.email.toLowerCase()) {
      return resetRefused(c, input.email);
    }
    const user = await findUserById(c.db, row.userid);
    if (!user || user.type === "temporary" || isExpired(user, c.nowUs)) return resetRefused(c, input.email);

    const passwordHash = await hashPassword(input.password);
    const newTok = randomAlnum(32);
    const newTokHash = await sha256Hex(newTok);
    const live = codeIsLive(codeHash, "reset_password", c.nowUs);
    const tokenExpirationUs = c.nowUs + tokenLifetimeS(user, c.settings) * 1_000_000;
    // One transaction; every write is guarded by "the code is still live" and the last statement
    // claims it, so a concurrent reuse of the same code changes nothing.
    const results = await c.db.batch([
      c.db
        .update(users)
        .set({ passwordHash })
        .where(and(eq(users.userid, user.userid), live)),
      c.db.delete(tokens).where(and(eq(tokens.userid, user.userid), live)),
      c.db.insert(tokens).select(
        c.db
          .select({
            tokenHash: sql<string>`${newTokHash}`.as("token_hash"),
            userid: oneTimeCodes.userid,
            createUtime: sql<number>`${c.nowUs}`.as("create_utime"),
            expirationUtime: sql<number>`${tokenExpirationUs}`.as("expiration_utime"),
          })
          .from(oneTimeCodes)
          .where(and(eq(oneTimeCodes.codeHash, codeHash), live)),
      ),
      retireOtherCodes(c.db, user.userid, codeHash, "reset_password", c.nowUs),
      claimCode(c.db, codeHash, "reset_password", c.nowUs),
    ]);
    if (results[4].length !== 1) return resetRefused(c, input.email);
    await clearFailures(c.env, throttleKey);

    const out: Record<string, unknown> = { userid: user.userid, token: newTok };
    if (user.username) out.username = user.username;
    out.email_verified = user.emailVerified;
    return out;
  },
});

export const verifyEmail = defineCall({
  type: "verify_email",
  summary: "Mail a link that verifies the account's email address (and makes a registered account verified).",
  input: z.object({ userid, token }),
  auth: "token",
  weight: fixed(5000),
  async handler(c) {
    const user = c.user;
    // Nothing to verify: answer success and send nothing.
    if (user.emailVerified || !user.email) return {};
    const { code, codeHash } = await newCode();
    const lifetimeS = c.settings.verifyCodeLifetimeS;
    const stored = await storeCode(
      c.db,
      { codeHash, kind: "verify_email", userid: user.userid, email: user.email, nowUs: c.nowUs, lifetimeS },
      c.settings.mailIntervalS,
    );
    if (stored) {
      const mail = verifyEmailMail(user.email, verifyLink(c.origin, code), lifetimeS);
      inBackground(c, "verify_email mail", () => sendMail(c.env, mail));
    }
    return {};
  },
});

export type VerifyOutcome = "verified" | "unknown" | "used" | "expired";

/**
 * Redeems a verification code: marks the email verified and a registered account `verified`
 * (a custom account keeps its type). Single use, in one guarded transaction like reset_password.
 */
export async function redeemVerifyCode(db: Db, code: string, nowUs: number): Promise<VerifyOutcome> {
  if (!/^[0-9a-fA-F]{32}$/.test(code)) return "unknown";
  const codeHash = await hashCode(code);
  const row = await findCode(db, codeHash, "verify_email");
  const state = codeState(row, nowUs);
  if (state !== "live" || !row) return state === "live" ? "unknown" : state;
  const live = codeIsLive(codeHash, "verify_email", nowUs);
  const [updated, claimed] = await db.batch([
    db
      .update(users)
      .set({ emailVerified: 1, type: sql`CASE ${users.type} WHEN 'registered' THEN 'verified' ELSE ${users.type} END` })
      .where(and(eq(users.userid, row.userid), eq(users.emailKey, row.email.toLowerCase()), live))
      .returning({ userid: users.userid }),
    claimCode(db, codeHash, "verify_email", nowUs),
  ]);
  if (claimed.length !== 1) return "used";
  // The account is gone or its address changed since the mail: the code is spent, nothing verified.
  return updated.length === 1 ? "verified" : "unknown";
}

export const mailCalls = [forgotPassword, resetPassword, verifyEmail];
