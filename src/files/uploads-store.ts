// Multipart uploads in progress (D1 `uploads` and `upload_parts`), and their clean-up.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { getDb } from "../db/client";
import { int64In, int64Out } from "../db/int64";
import { uploadParts, uploads } from "../db/schema";

export interface UploadRow {
  filekey: string;
  userid: string;
  filename: string;
  filesize: number;
  filetype: string;
  r2Key: string;
  r2UploadId: string;
  createUtime: number;
  expirationUtime: bigint;
}

const uploadColumns = {
  filekey: uploads.filekey,
  userid: uploads.userid,
  filename: uploads.filename,
  filesize: uploads.filesize,
  filetype: uploads.filetype,
  r2Key: uploads.r2Key,
  r2UploadId: uploads.r2UploadId,
  createUtime: uploads.createUtime,
  expirationUtime: int64Out(uploads.expirationUtime),
};

/** The caller's upload with this filekey (another user's is not found). */
export async function findOwnUpload(db: Db, userid: string, filekey: string): Promise<UploadRow | null> {
  const row = await db
    .select(uploadColumns)
    .from(uploads)
    .where(and(eq(uploads.filekey, filekey), eq(uploads.userid, userid)))
    .get();
  return (row as UploadRow | undefined) ?? null;
}

export async function insertUpload(db: Db, row: UploadRow): Promise<void> {
  await db.insert(uploads).values({ ...row, expirationUtime: int64In(row.expirationUtime) });
}

/** Deletes the upload's row if it is still there; true for the one caller that did (a claim). */
export async function claimUpload(db: Db, filekey: string, extra = sql`1`): Promise<boolean> {
  const rows = await db
    .delete(uploads)
    .where(and(eq(uploads.filekey, filekey), extra))
    .returning({ filekey: uploads.filekey });
  return rows.length > 0;
}

export async function listParts(db: Db, filekey: string) {
  return db
    .select({ partnumber: uploadParts.partnumber, partsize: uploadParts.partsize, etag: uploadParts.etag })
    .from(uploadParts)
    .where(eq(uploadParts.filekey, filekey))
    .orderBy(asc(uploadParts.partnumber))
    .all();
}

export async function recordPart(db: Db, filekey: string, partnumber: number, partsize: number, etag: string) {
  await db
    .insert(uploadParts)
    .values({ filekey, partnumber, partsize, etag })
    .onConflictDoUpdate({ target: [uploadParts.filekey, uploadParts.partnumber], set: { partsize, etag } });
}

export async function deleteParts(db: Db, filekey: string): Promise<void> {
  await db.delete(uploadParts).where(eq(uploadParts.filekey, filekey));
}

/** Aborts the R2 multipart upload (already gone is fine) and forgets its parts. */
export async function abortR2Upload(
  env: Cloudflare.Env,
  db: Db,
  row: Pick<UploadRow, "filekey" | "r2Key" | "r2UploadId">,
) {
  await abortInR2(env.FILES, row.r2Key, row.r2UploadId);
  await deleteParts(db, row.filekey);
}

/** Aborts an R2 multipart upload; one R2 no longer knows (aborted or completed) counts as done. */
export async function abortInR2(bucket: R2Bucket, r2Key: string, r2UploadId: string): Promise<void> {
  try {
    await bucket.resumeMultipartUpload(r2Key, r2UploadId).abort();
  } catch (err) {
    // Nothing left to remove; R2's default lifecycle rule also aborts leftovers after 7 days.
    console.warn("abort of a multipart upload failed:", err instanceof Error ? err.message : "error");
  }
}

/**
 * Aborts up to `limit` multipart uploads whose `expiration_utime` has passed (their parts are
 * deleted in R2 and in D1). For the scheduled handler; returns how many it aborted.
 */
export async function abortStaleUploads(env: Cloudflare.Env, nowUs: number, limit = 100): Promise<number> {
  const db = getDb(env.DB);
  const now = int64In(BigInt(nowUs));
  const stale = await db
    .select({ filekey: uploads.filekey, r2Key: uploads.r2Key, r2UploadId: uploads.r2UploadId })
    .from(uploads)
    .where(sql`${uploads.expirationUtime} < ${now}`)
    .limit(limit)
    .all();
  let aborted = 0;
  for (const row of stale) {
    // Claim first, so a finalize running at the same moment and this sweep never both act.
    if (!(await claimUpload(db, row.filekey, sql`${uploads.expirationUtime} < ${now}`))) continue;
    await abortR2Upload(env, db, row);
    aborted += 1;
  }
  return aborted;
}
