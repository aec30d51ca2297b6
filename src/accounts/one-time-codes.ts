// One-time codes mailed to people (password reset, email verification): 128 random bits as 32 hex
// characters, of which only the SHA-256 is stored; short-lived; used once.
import { and, eq, gt, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { oneTimeCodes } from "../db/schema";
import { randomHex, sha256Hex } from "./secrets";

export type CodeKind = "reset_password" | "verify_email";

export interface CodeRow {
  codeHash: string;
  kind: CodeKind;
  userid: string;
  email: string;
  createUtime: number;
  expirationUtime: number;
  usedUtime: number | null;
}

/** A fresh code in the clear (for the mail) and its hash (for the table). */
export async function newCode(): Promise<{ code: string; codeHash: string }> {
  const code = randomHex(16);
  return { code, codeHash: await sha256Hex(code) };
}

export const hashCode = (code: string): Promise<string> => sha256Hex(code.toLowerCase());

/**
 * Stores a code unless the account already got one of the same kind within `intervalS` (so
 * nobody can flood a mailbox); one statement, so two concurrent requests cannot both pass the
 * check. Returns whether the code was stored (and so should be mailed).
 */
export async function storeCode(
  db: Db,
  row: { codeHash: string; kind: CodeKind; userid: string; email: string; nowUs: number; lifetimeS: number },
  intervalS: number,
): Promise<boolean> {
  const since = row.nowUs - intervalS * 1_000_000;
  const result = await db.run(sql`
    INSERT INTO one_time_codes (code_hash, kind, userid, email, create_utime, expiration_utime, used_utime)
    SELECT ${row.codeHash}, ${row.kind}, ${row.userid}, ${row.email}, ${row.nowUs},
           ${row.nowUs + row.lifetimeS * 1_000_000}, NULL
    WHERE NOT EXISTS (
      SELECT 1 FROM one_time_codes WHERE userid = ${row.userid} AND kind = ${row.kind} AND create_utime > ${since}
    )`);
  return result.meta.changes === 1;
}

export async function findCode(db: Db, codeHash: string, kind: CodeKind): Promise<CodeRow | null> {
  const row = await db
    .select()
    .from(oneTimeCodes)
    .where(and(eq(oneTimeCodes.codeHash, codeHash), eq(oneTimeCodes.kind, kind)))
    .get();
  return (row as CodeRow | undefined) ?? null;
}

export type CodeState = "live" | "unknown" | "used" | "expired";

export function codeState(row: CodeRow | null, nowUs: number): CodeState {
  if (!row) return "unknown";
  if (row.usedUtime !== null) return "used";
  if (row.expirationUtime <= nowUs) return "expired";
  return "live";
}

/**
 * SQL condition "this code is still unused and unexpired". Every write of a redemption is guarded
 * by it inside one D1 batch (a transaction) that ends with `claimCode`: if a concurrent
 * redemption got there first, every statement of the later batch changes nothing.
 */
export function codeIsLive(codeHash: string, kind: CodeKind, nowUs: number): SQL {
  return sql`EXISTS (SELECT 1 FROM one_time_codes WHERE code_hash = ${codeHash} AND kind = ${kind}
    AND used_utime IS NULL AND expiration_utime > ${nowUs})`;
}

/** The batch's last statement: marks the code used; returns a row only if this batch claimed it. */
export function claimCode(db: Db, codeHash: string, kind: CodeKind, nowUs: number) {
  return db
    .update(oneTimeCodes)
    .set({ usedUtime: nowUs })
    .where(
      and(
        eq(oneTimeCodes.codeHash, codeHash),
        eq(oneTimeCodes.kind, kind),
        isNull(oneTimeCodes.usedUtime),
        gt(oneTimeCodes.expirationUtime, nowUs),
      ),
    )
    .returning({ userid: oneTimeCodes.userid });
}

/** Marks every other unused code of the account and kind used (guarded like the rest of the batch). */
export function retireOtherCodes(db: Db, userid: string, codeHash: string, kind: CodeKind, nowUs: number) {
  return db
    .update(oneTimeCodes)
    .set({ usedUtime: nowUs })
    .where(
      and(
        eq(oneTimeCodes.userid, userid),
        eq(oneTimeCodes.kind, kind),
        isNull(oneTimeCodes.usedUtime),
        sql`${oneTimeCodes.codeHash} <> ${codeHash}`,
        codeIsLive(codeHash, kind, nowUs),
      ),
    );
}
