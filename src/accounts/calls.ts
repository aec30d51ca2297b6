// Account calls: temporary_account, signup, login, logout, check_credentials, change_password.
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { ApiError } from "../api/errors";
import { credentials, email, password64, token, userid, username } from "../api/fields";
import { defineCall, fixed } from "../api/registry";
import { INT64_MAX, int64In } from "../db/int64";
import { tokens, users } from "../db/schema";
import { admitAttempt, clearFailures } from "../limits/auth-throttle";
import { hashPassword, randomAlnum, sha256Hex, verifyPassword } from "./secrets";
import { findUserById, findUserByLogin, isExpired, newToken, type User } from "./store";

/** The account fields login-like calls return (username only when the account has one). */
function accountOutput(user: User, extra: Record<string, unknown> = {}) {
  const out: Record<string, unknown> = { ...extra, email: user.email ?? "" };
  if (user.username) out.username = user.username;
  out.email_verified = user.emailVerified;
  return out;
}

/** A unique-index violation from D1, named by the column it concerns. */
function uniqueViolation(err: unknown): "email" | "username" | null {
  const msg = err instanceof Error ? err.message : "";
  if (!/UNIQUE constraint failed/i.test(msg)) return null;
  if (msg.includes("email_key")) return "email";
  if (msg.includes("username_key")) return "username";
  return null;
}

const taken = (field: "email" | "username") =>
  new ApiError("conflict", `That ${field} is already registered.`, { field });

export const temporaryAccount = defineCall({
  type: "temporary_account",
  summary: "Create a temporary account (no token needed; it expires unless converted with signup).",
  input: z.object({}),
  auth: "none",
  weight: fixed(1000),
  async handler(c) {
    const id = randomAlnum(32);
    await c.db.insert(users).values({
      userid: id,
      type: "temporary",
      createUtime: c.nowUs,
      expirationUtime: int64In(BigInt(c.nowUs) + BigInt(c.settings.temporaryAccountLifetimeS) * 1_000_000n),
    });
    return { userid: id };
  },
});

export const signup = defineCall({
  type: "signup",
  summary: "Register an account, or convert a temporary account (given by userid) keeping all it owns.",
  input: z.object({ email, password: password64, username: username.optional(), userid: userid.optional() }),
  auth: "none",
  weight: fixed(1000),
  async handler(c, input) {
    const emailKey = input.email.toLowerCase();
    const usernameKey = input.username?.toLowerCase() ?? null;
    if (input.username?.includes("@"))
      throw new ApiError("invalid_input", "username must not contain @.", { field: "username" });
    let temporary: User | null = null;
    if (input.userid !== undefined) {
      temporary = await findUserById(c.db, input.userid);
      if (temporary?.type !== "temporary" || isExpired(temporary, c.nowUs)) {
        throw new ApiError("conflict", "userid is not a live temporary account.", { field: "userid" });
      }
    }
    if (await findUserByLogin(c.db, emailKey)) throw taken("email");
    if (usernameKey !== null && (await findUserByLogin(c.db, usernameKey))) throw taken("username");

    const passwordHash = await hashPassword(input.password);
    const account = {
      type: "registered" as const,
      username: input.username ?? null,
      usernameKey,
      email: input.email,
      emailKey,
      emailVerified: 0,
      passwordHash,
      expirationUtime: int64In(INT64_MAX),
    };
    const id = temporary?.userid ?? randomAlnum(32);
    const user: User = {
      userid: id,
      type: "registered",
      username: account.username,
      email: account.email,
      emailVerified: false,
      passwordHash,
      createUtime: temporary?.createUtime ?? c.nowUs,
      expirationUtime: INT64_MAX,
      customLimits: null,
    };
    const { token: newTok, statement } = await newToken(c.db, user, c.settings, c.nowUs);
    const write = temporary
      ? c.db
          .update(users)
          .set(account)
          .where(and(eq(users.userid, id), eq(users.type, "temporary")))
      : c.db.insert(users).values({ userid: id, createUtime: c.nowUs, ...account });
    try {
      await c.db.batch([write, statement]);
    } catch (err) {
      const field = uniqueViolation(err);
      if (field) throw taken(field);
      throw err;
    }
    const out: Record<string, unknown> = { userid: id, token: newTok, email: input.email };
    if (input.username) out.username = input.username;
    return out;
  },
});

export const login = defineCall({
  type: "login",
  summary: "Log in with a username or an email (any case) and get a new token.",
  input: z.object({ username_email: z.string().min(1).max(254), password: password64 }),
  auth: "none",
  weight: fixed(1000),
  async handler(c, input) {
    const user = await findUserByLogin(c.db, input.username_email);
    // Failures are counted per target account (an unknown name counts under its own key, so it
    // behaves the same): past the limit, 429 whatever the password (docs/limits.md).
    const throttleKey = `login:${user?.userid ?? input.username_email.toLowerCase()}`;
    await admitAttempt(c.env, throttleKey);
    // Verify even when there is no such account, so both failures take the same time.
    const ok = await verifyPassword(input.password, user?.passwordHash ?? null);
    if (!user || !ok || user.type === "temporary" || isExpired(user, c.nowUs)) {
      throw new ApiError("unauthorized", "Wrong username, email or password.");
    }
    await clearFailures(c.env, throttleKey);
    const { token: tok, statement } = await newToken(c.db, user, c.settings, c.nowUs);
    await statement;
    return accountOutput(user, { userid: user.userid, token: tok });
  },
});

export const logout = defineCall({
  type: "logout",
  summary: "Revoke the token given.",
  input: z.object({ userid, token }),
  auth: "token",
  weight: fixed(0),
  async handler(c, input) {
    await c.db.delete(tokens).where(eq(tokens.tokenHash, await sha256Hex(input.token)));
    return {};
  },
});

export const checkCredentials = defineCall({
  type: "check_credentials",
  summary: "Check a userid (and its token, for registered accounts).",
  input: z.object(credentials),
  auth: "account",
  weight: fixed(1000),
  async handler(c) {
    const user = c.user;
    return accountOutput(user);
  },
});

export const changePassword = defineCall({
  type: "change_password",
  summary: "Change the password; every other token of the account is revoked.",
  input: z.object({ userid, token, password: password64, password_new: password64 }),
  auth: "token",
  weight: fixed(1000),
  async handler(c, input) {
    const user = c.user;
    if (!(await verifyPassword(input.password, user.passwordHash))) {
      throw new ApiError("forbidden", "The current password is wrong.", { field: "password" });
    }
    const keep = await sha256Hex(input.token);
    await c.db.batch([
      c.db
        .update(users)
        .set({ passwordHash: await hashPassword(input.password_new) })
        .where(eq(users.userid, user.userid)),
      c.db.delete(tokens).where(and(eq(tokens.userid, user.userid), ne(tokens.tokenHash, keep))),
    ]);
    return {};
  },
});

export const accountCalls = [temporaryAccount, signup, login, logout, checkCredentials, changePassword];
