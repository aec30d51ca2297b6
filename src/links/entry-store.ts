// Entries in D1: reading them exactly (int64 through CAST) and creating or replacing one under a
// code, as url, urls, file and file_part_finalize do.
import { and, eq } from "drizzle-orm";
import type { SQLiteInsertValue } from "drizzle-orm/sqlite-core";
import { ApiError, notFound } from "../api/errors";
import type { CallContext } from "../api/registry";
import type { Db } from "../db/client";
import { int64In, int64Out } from "../db/int64";
import { entries } from "../db/schema";
import { generateCode, parseShortUrl } from "./codes";
import { invalidateEntry } from "./entry-cache";
import { counterFor } from "./link-counter";

export interface Entry {
  id: number;
  userid: string;
  host: string;
  code: string;
  url: string;
  createUtime: number;
  tag: bigint;
  expirationUtime: bigint;
  expirationCount: number;
  enabled: boolean;
  filekey: string;
  filesize: number;
  filetype: string;
  encryption: number;
  signature: string;
  challengeHash: string;
  count: number;
  countQr: number;
}

/** The selection that reads an Entry; int64 columns exactly. */
export const entryColumns = {
  id: entries.id,
  userid: entries.userid,
  host: entries.host,
  code: entries.code,
  url: entries.url,
  createUtime: entries.createUtime,
  tag: int64Out(entries.tag),
  expirationUtime: int64Out(entries.expirationUtime),
  expirationCount: entries.expirationCount,
  enabled: entries.enabled,
  filekey: entries.filekey,
  filesize: entries.filesize,
  filetype: entries.filetype,
  encryption: entries.encryption,
  signature: entries.signature,
  challengeHash: entries.challengeHash,
  count: entries.count,
  countQr: entries.countQr,
};

// biome-ignore lint/suspicious/noExplicitAny: rows come typed from the selection above
export function toEntry(row: Record<keyof typeof entryColumns, any>): Entry {
  return { ...row, enabled: row.enabled === 1 || row.enabled === true } as Entry;
}

export async function findEntry(db: Db, host: string, code: string): Promise<Entry | null> {
  const row = await db
    .select(entryColumns)
    .from(entries)
    .where(and(eq(entries.host, host), eq(entries.code, code)))
    .get();
  return row ? toEntry(row) : null;
}

/** The caller's entry at host/code; another user's entry is 404, as if it did not exist. */
export async function findOwnEntry(c: CallContext, host: string, code: string, field = "shorturl"): Promise<Entry> {
  const entry = await findEntry(c.db, host, code);
  if (!entry || entry.userid !== c.user?.userid) throw notFound("There is no such short URL among yours.", field);
  return entry;
}

/** The caller's entry named by a short URL input (`shorturl` of set_tag, get_entry, ...). */
export async function findOwnEntryByShortUrl(c: CallContext, shorturl: string, field = "shorturl"): Promise<Entry> {
  const { host, code } = parseShortUrl(shorturl, c.settings.shortHosts, field);
  return findOwnEntry(c, host, code, field);
}

/** Changes columns of the caller's entry; the redirect cache of this isolate forgets it at once. */
export async function updateOwnEntry(c: CallContext, entry: Entry, cols: Record<string, unknown>): Promise<void> {
  await c.db
    .update(entries)
    .set(cols)
    .where(and(eq(entries.id, entry.id), eq(entries.userid, entry.userid)));
  invalidateEntry(entry.host, entry.code);
}

/** What an entry is made of, as a url/file call gives it. Absent fields keep their values on replace. */
export interface EntryWrite {
  url?: string;
  tag?: bigint;
  expirationUtime?: bigint;
  expirationCount?: number;
  filekey?: string;
  filesize?: number;
  filetype?: string;
  encryption?: number;
  signature?: string;
  challengeHash?: string;
}

/** The target of a URL entry: writing it also clears every file field. */
export function urlWrite(url: string): EntryWrite {
  return { url, filekey: "", filesize: -1, filetype: "", encryption: 0, signature: "", challengeHash: "" };
}

function toColumns(w: EntryWrite): Record<string, unknown> {
  const cols: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(w)) {
    if (v === undefined) continue;
    cols[k] = typeof v === "bigint" ? int64In(v) : v;
  }
  return cols;
}

/** Defaults of a new entry (CONTRACT.md), under the fields given. */
function insertValues(
  userid: string,
  host: string,
  code: string,
  createUtime: number,
  w: EntryWrite,
): SQLiteInsertValue<typeof entries> {
  return {
    userid,
    host,
    code,
    createUtime,
    url: w.url ?? "",
    tag: int64In(w.tag ?? 0n),
    expirationUtime: int64In(w.expirationUtime ?? 0x7ffffffffffffffn),
    ...toColumns({ ...w, tag: undefined, expirationUtime: undefined }),
  };
}

const MAX_CODE_ATTEMPTS = 8;

export interface PutResult {
  entry: Entry;
  /** the entry as it was before a replace (null when created): its file may need deleting */
  previous: Entry | null;
}

/**
 * Creates the caller's entry under `code` (a generated one when null) or, when the code is already
 * the caller's, replaces that entry's given fields (id, counts and short URL stay). Another user's
 * code is 409.
 */
export async function putEntry(
  c: CallContext,
  host: string,
  code: string | null,
  write: EntryWrite,
  createUtime = c.nowUs,
): Promise<PutResult> {
  const userid = c.user?.userid;
  if (!userid) throw new ApiError("unauthorized", "An account is required.");
  if (code === null) {
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) {
      const entry = await insertIfFree(c.db, insertValues(userid, host, generateCode(), createUtime, write));
      if (entry) return { entry, previous: null };
    }
    throw new ApiError("internal", "Could not find a free code; please try again.");
  }
  const existing = await findEntry(c.db, host, code);
  if (existing && existing.userid !== userid) {
    throw new ApiError("conflict", "That short URL belongs to somebody else.", { field: "code" });
  }
  if (existing) {
    const cols = toColumns(write);
    if (Object.keys(cols).length === 0) return { entry: existing, previous: existing };
    const [row] = await c.db
      .update(entries)
      .set(cols)
      .where(and(eq(entries.id, existing.id), eq(entries.userid, userid)))
      .returning(entryColumns);
    if (!row) throw notFound("There is no such short URL among yours.", "code");
    invalidateEntry(host, code);
    if (write.expirationCount !== undefined && write.expirationCount !== existing.expirationCount) {
      // The counter admits clicks against the new limit from now on.
      await counterFor(c.env, existing.id).setLimit(write.expirationCount);
    }
    return { entry: toEntry(row), previous: existing };
  }
  const entry = await insertIfFree(c.db, insertValues(userid, host, code, createUtime, write));
  // Somebody took the code between the read and the insert.
  if (!entry) throw new ApiError("conflict", "That short URL belongs to somebody else.", { field: "code" });
  invalidateEntry(host, code);
  return { entry, previous: null };
}

async function insertIfFree(db: Db, values: SQLiteInsertValue<typeof entries>): Promise<Entry | null> {
  const [row] = await db.insert(entries).values(values).onConflictDoNothing().returning(entryColumns);
  return row ? toEntry(row) : null;
}

/**
 * Creates new entries of the caller under generated codes, in the order given, the i-th created
 * at createUtime + i µs: one D1 batch (a transaction) of single-row inserts (D1 binds at most 100
 * parameters per statement), then a retry of any row whose generated code happened to be taken.
 */
export async function putNewEntries(
  c: CallContext,
  host: string,
  writes: EntryWrite[],
  createUtime = c.nowUs,
): Promise<Entry[]> {
  const userid = c.user?.userid;
  if (!userid) throw new ApiError("unauthorized", "An account is required.");
  const statements = writes.map((w, i) =>
    c.db
      .insert(entries)
      .values(insertValues(userid, host, generateCode(), createUtime + i, w))
      .onConflictDoNothing()
      .returning(entryColumns),
  );
  const [first, ...rest] = statements;
  if (!first) return [];
  const results = await c.db.batch([first, ...rest]);
  const out: Entry[] = [];
  for (const [i, rows] of results.entries()) {
    const row = rows[0];
    const write = writes[i] as EntryWrite;
    out.push(row ? toEntry(row) : (await putEntry(c, host, null, write, createUtime + i)).entry);
  }
  return out;
}
