// Reading accounts and tokens from D1.
import { and, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client";
import { int64Out } from "../db/int64";
import { tokens, users } from "../db/schema";
import type { Settings } from "../settings";
import { randomAlnum, sha256Hex } from "./secrets";

export type AccountType = "temporary" | "registered" | "verified" | "custom";

export interface User {
  userid: string;
  type: AccountType;
  username: string | null;
  email: string | null;
  emailVerified: boolean;
  passwordHash: string | null;
  createUtime: number;
  expirationUtime: bigint;
  customLimits: string | null;
}

const userColumns = {
  userid: users.userid,
  type: users.type,
  username: users.username,
  email: users.email,
  emailVerified: users.emailVerified,
  passwordHash: users.passwordHash,
  createUtime: users.createUtime,
  expirationUtime: int64Out(users.expirationUtime),
  customLimits: users.customLimits,
};

type UserRow = {
  [K in keyof typeof userColumns]: unknown;
};

function toUser(row: UserRow): User {
  return {
    userid: row.userid as string,
    type: row.type as AccountType,
    username: row.username as string | null,
    email: row.email as string | null,
    emailVerified: row.emailVerified === 1,
    passwordHash: row.passwordHash as string | null,
    createUtime: row.createUtime as number,
    expirationUtime: row.expirationUtime as bigint,
    customLimits: row.customLimits as string | null,
  };
}

export async function findUserById(db: Db, userid: string): Promise<User | null> {
  const row = await db.select(userColumns).from(users).where(eq(users.userid, userid)).get();
  return row ? toUser(row) : null;
}

/** A registered account by username or email, case-insensitively (login, forgot_password). */
export async function findUserByLogin(db: Db, usernameOrEmail: string): Promise<User | null> {
  const key = usernameOrEmail.toLowerCase();
  const column = key.includes("@") ? users.emailKey : users.usernameKey;
  const row = await db.select(userColumns).from(users).where(eq(column, key)).get();
  return row ? toUser(row) : null;
}

export function isExpired(user: User, nowUs: number): boolean {
  return user.expirationUtime <= BigInt(nowUs);
}

export function tokenLifetimeS(user: User, settings: Settings): number {
  return user.type === "verified" ? settings.tokenLifetimeVerifiedS : settings.tokenLifetimeRegisteredS;
}

/** The statement that stores a new token (its SHA-256 only); returns the token in the clear once. */
export async function newToken(db: Db, user: User, settings: Settings, nowUs: number) {
  const token = randomAlnum(32);
  const statement = db.insert(tokens).values({
    tokenHash: await sha256Hex(token),
    userid: user.userid,
    createUtime: nowUs,
    expirationUtime: nowUs + tokenLifetimeS(user, settings) * 1_000_000,
  });
  return { token, statement };
}

/**
 * Whether `token` is a live token of `userid`. The lookup is by the token's SHA-256: an attacker
 * cannot steer the hash of a guess, so the index comparison's timing tells nothing about any
 * stored token (the reason lucia and others store and look up token hashes this way).
 */
export async function tokenIsValid(db: Db, userid: string, token: string, nowUs: number): Promise<boolean> {
  const row = await db
    .select({ userid: tokens.userid })
    .from(tokens)
    .where(and(eq(tokens.tokenHash, await sha256Hex(token)), gt(tokens.expirationUtime, nowUs)))
    .get();
  return row !== undefined && row.userid === userid;
}
