// Housekeeping, run by the cron trigger (wrangler.toml [triggers]): removes expired temporary
// accounts with everything they own (entries, R2 files, uploads, tokens, codes), aborts stale
// multipart uploads, purges expired tokens and one-time codes. Bounded per run (LIMITS); whatever
// is left waits for the next run. Every D1 deletion is one batch (a transaction), guarded by the
// condition that made the row deletable, so nothing a live account owns is ever touched.
import { and, eq, inArray, lte, ne, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { getDb } from "../db/client";
import { entries, oneTimeCodes, tokens, uploadParts, uploads, users } from "../db/schema";
import { storageKey } from "../files/storage-key";
import { abortInR2, abortStaleUploads } from "../files/uploads-store";

export interface HousekeepingLimits {
  /** expired temporary accounts removed per run */
  accounts: number;
  /** stale multipart uploads aborted per run */
  uploads: number;
  /** expired tokens purged per run */
  tokens: number;
  /** expired one-time codes purged per run */
  codes: number;
  /** file entries of one account whose R2 objects are deleted per page (R2 takes 1000 keys at once) */
  filesPerPage: number;
}

export const LIMITS: HousekeepingLimits = {
  accounts: 100,
  uploads: 100,
  tokens: 1000,
  codes: 1000,
  filesPerPage: 1000,
};

export interface HousekeepingReport {
  accounts: number;
  entries: number;
  files: number;
  uploads: number;
  tokens: number;
  codes: number;
}

/** SQL condition: `userid` is a temporary account that has expired (it can never come back). */
function expiredTemporary(userid: string, nowUs: number): SQL {
  return sql`EXISTS (SELECT 1 FROM users WHERE userid = ${userid} AND type = 'temporary'
    AND expiration_utime <= ${nowUs})`;
}

async function removeExpiredAccount(
  env: Cloudflare.Env,
  db: Db,
  userid: string,
  nowUs: number,
  limits: HousekeepingLimits,
  report: HousekeepingReport,
): Promise<void> {
  const gone = expiredTemporary(userid, nowUs);
  // Files first, a page at a time: R2 objects, then (one statement) the entries that held them. A
  // run that stops half-way leaves the account expired, and the next run goes on from there. The
  // page is read under the guard too, so an account that is not (or no longer) an expired
  // temporary one never loses a file.
  for (;;) {
    const files = await db
      .select({ id: entries.id, filekey: entries.filekey, url: entries.url })
      .from(entries)
      .where(and(eq(entries.userid, userid), ne(entries.filekey, ""), gone))
      .limit(limits.filesPerPage)
      .all();
    if (files.length === 0) break;
    await env.FILES.delete(files.map((f) => storageKey(userid, f.filekey, f.url)));
    const ids = files.map((f) => f.id);
    const removed = await db
      .delete(entries)
      .where(and(inArray(entries.id, ids), eq(entries.userid, userid), gone))
      .returning({ id: entries.id });
    report.files += files.length;
    report.entries += removed.length;
    if (removed.length === 0) return;
  }
  const pending = await db
    .select({ r2Key: uploads.r2Key, r2UploadId: uploads.r2UploadId })
    .from(uploads)
    .where(eq(uploads.userid, userid))
    .all();
  for (const u of pending) await abortInR2(env.FILES, u.r2Key, u.r2UploadId);

  const ownUploads = sql`(SELECT filekey FROM uploads WHERE userid = ${userid})`;
  const [removedEntries, , removedUploads, , , removedAccount] = await db.batch([
    db
      .delete(entries)
      .where(and(eq(entries.userid, userid), gone))
      .returning({ id: entries.id }),
    db.delete(uploadParts).where(and(sql`${uploadParts.filekey} IN ${ownUploads}`, gone)),
    db
      .delete(uploads)
      .where(and(eq(uploads.userid, userid), gone))
      .returning({ filekey: uploads.filekey }),
    db.delete(tokens).where(and(eq(tokens.userid, userid), gone)),
    db.delete(oneTimeCodes).where(and(eq(oneTimeCodes.userid, userid), gone)),
    // Last: the guard reads this row, so every statement before it still sees the account.
    db
      .delete(users)
      .where(and(eq(users.userid, userid), eq(users.type, "temporary"), lte(users.expirationUtime, nowUs)))
      .returning({ userid: users.userid }),
  ]);
  report.entries += removedEntries.length;
  report.uploads += removedUploads.length;
  report.accounts += removedAccount.length;
}

async function removeExpiredAccounts(
  env: Cloudflare.Env,
  db: Db,
  nowUs: number,
  limits: HousekeepingLimits,
  report: HousekeepingReport,
) {
  const expired = await db
    .select({ userid: users.userid })
    .from(users)
    .where(and(eq(users.type, "temporary"), lte(users.expirationUtime, nowUs)))
    .limit(limits.accounts)
    .all();
  for (const { userid } of expired) await removeExpiredAccount(env, db, userid, nowUs, limits, report);
}

async function purgeExpiredTokens(db: Db, nowUs: number, limits: HousekeepingLimits, report: HousekeepingReport) {
  const oldest = db
    .select({ h: tokens.tokenHash })
    .from(tokens)
    .where(lte(tokens.expirationUtime, nowUs))
    .limit(limits.tokens);
  const removed = await db.delete(tokens).where(inArray(tokens.tokenHash, oldest)).returning({ h: tokens.tokenHash });
  report.tokens += removed.length;
}

async function purgeExpiredCodes(db: Db, nowUs: number, limits: HousekeepingLimits, report: HousekeepingReport) {
  const oldest = db
    .select({ h: oneTimeCodes.codeHash })
    .from(oneTimeCodes)
    .where(lte(oneTimeCodes.expirationUtime, nowUs))
    .limit(limits.codes);
  const removed = await db
    .delete(oneTimeCodes)
    .where(inArray(oneTimeCodes.codeHash, oldest))
    .returning({ h: oneTimeCodes.codeHash });
  report.codes += removed.length;
}

/**
 * One housekeeping run at `nowUs`. Each kind of work runs even if another failed; a failure is
 * logged and the run then throws, so the cron invocation shows as failed.
 */
export async function runHousekeeping(
  env: Cloudflare.Env,
  nowUs: number,
  limits: HousekeepingLimits = LIMITS,
): Promise<HousekeepingReport> {
  const db = getDb(env.DB);
  const report: HousekeepingReport = { accounts: 0, entries: 0, files: 0, uploads: 0, tokens: 0, codes: 0 };
  const steps: [string, () => Promise<void>][] = [
    ["expired temporary accounts", () => removeExpiredAccounts(env, db, nowUs, limits, report)],
    [
      "stale uploads",
      async () => {
        report.uploads += await abortStaleUploads(env, nowUs, limits.uploads);
      },
    ],
    ["expired tokens", () => purgeExpiredTokens(db, nowUs, limits, report)],
    ["expired codes", () => purgeExpiredCodes(db, nowUs, limits, report)],
  ];
  let failed = false;
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (err) {
      failed = true;
      console.error(`housekeeping: ${what} failed:`, err instanceof Error ? err.message : "error");
    }
  }
  console.log("housekeeping:", JSON.stringify(report));
  if (failed) throw new Error("housekeeping: some steps failed (see the log lines above)");
  return report;
}
