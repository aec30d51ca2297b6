// Entries in D1: reading them exactly (int64 through CAST) and creating or replacing one under a
// code, as url, urls, file and file_part_finalize do.
import { and, eq, sql } from "drizzle-orm";
import type { SQLiteInsertValue } from "drizzle-orm/sqlite-core";
import { ApiError, notFound } from "../api/errors";
import type { AccountContext } from "../api/registry";
import type { Db } from "../db/client";
import { DEFAULT_EXPIRATION_UTIME, int64In, int64Out } from "../db/int64";
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
export async function findOwnEntry(c: AccountContext, host: string, code: string, field = "shorturl"): Promise<Entry> {
  const entry = await findEntry(c.db, host, code);
  if (!entry || entry.userid !== c.user.userid) throw notFound("There is no such short URL among yours.", field);
  return entry;
}

/** The caller's entry named by a short URL input (`shorturl` of set_tag, get_entry, ...). */
export async function findOwnEntryByShortUrl(c: AccountContext, shorturl: string, field = "shorturl"): Promise<Entry> {
  const { host, code } = parseShortUrl(shorturl, c.settings.shortHosts, field);
  return findOwnEntry(c, host, code, field);
}

/** Changes columns of the caller's entry; the redirect cache of this isolate forgets it at once. */
export async function updateOwnEntry(c: AccountContext, entry: Entry, cols: Record<string, unknown>): Promise<void> {
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
    expirationUtime: int64In(w.expirationUtime ?? DEFAULT_EXPIRATION_UTIME),
    ...toColumns({ ...w, tag: undefined, expirationUtime: undefined }),
  };
}

const MAX_CODE_ATTEMPTS = 8;

const codeTaken = () => new ApiError("conflict", "That short URL belongs to somebody else.", { field: "code" });

/**
 * The caller's entry at host/code, or null when the code is free; 409 when it is somebody else's.
 * (file and file_part_finalize ask before storing any byte; putEntry asks again when writing.)
 */
export async function findCodeAvailable(c: AccountContext, host: string, code: string): Promise<Entry | null> {
  const existing = await findEntry(c.db, host, code);
  if (existing && existing.userid !== c.user.userid) throw codeTaken();
  return existing;
}

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
  c: AccountContext,
  host: string,
  code: string | null,
  write: EntryWrite,
  createUtime = c.nowUs,
): Promise<PutResult> {
  const userid = c.user.userid;
  if (code === null) {
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) {
      const entry = await insertIfFree(c.db, insertValues(userid, host, generateCode(), createUtime, write));
      if (entry) return { entry, previous: null };
    }
    throw new ApiError("internal", "Could not find a free code; please try again.");
  }
  const existing = await findCodeAvailable(c, host, code);
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
  if (!entry) throw codeTaken();
  invalidateEntry(host, code);
  return { entry, previous: null };
}

async function insertIfFree(db: Db, values: SQLiteInsertValue<typeof entries>): Promise<Entry | null> {
  const [row] = await db.insert(entries).values(values).onConflictDoNothing().returning(entryColumns);
  return row ? toEntry(row) : null;
}

/**
 * D1 allows 1000 queries per invocation (50 on the free plan), 100 bound parameters per query and
 * 2 MB per string, so `urls` must not spend a statement per URL: the new entries travel as one
 * JSON parameter per chunk of at most this many bytes, inserted through json_each.
 */
const NEW_ENTRIES_CHUNK_BYTES = 1_000_000;

/** Splits `items` into JSON arrays of at most `maxBytes` (a single larger item gets its own). */
export function jsonChunks<T>(items: T[], maxBytes: number): { json: string; offset: number }[] {
  const chunks: { json: string; offset: number }[] = [];
  let parts: string[] = [];
  let bytes = 2;
  let offset = 0;
  items.forEach((item, i) => {
    const text = JSON.stringify(item);
    const size = new TextEncoder().encode(text).byteLength + 1;
    if (parts.length > 0 && bytes + size > maxBytes) {
      chunks.push({ json: `[${parts.join(",")}]`, offset });
      parts = [];
      bytes = 2;
      offset = i;
    }
    parts.push(text);
    bytes += size;
  });
  if (parts.length > 0) chunks.push({ json: `[${parts.join(",")}]`, offset });
  return chunks;
}

/**
 * Creates one new URL entry per target, with generated codes, created 1 µs apart from
 * `createUtime` in the order given, all sharing `common` (tag, expirations). One D1 batch (a
 * transaction) of a few statements, whatever the number of URLs; a code that collided with an
 * existing one (rare: 62^6 codes) is retried alone.
 */
export async function putNewEntries(
  c: AccountContext,
  host: string,
  urls: string[],
  common: EntryWrite,
  createUtime = c.nowUs,
): Promise<Entry[]> {
  const userid = c.user.userid;
  const codes = new Set<string>();
  while (codes.size < urls.length) codes.add(generateCode());
  const items = [...codes].map((code, i) => ({ c: code, u: urls[i] as string }));
  const tag = (common.tag ?? 0n).toString();
  const expirationUtime = (common.expirationUtime ?? DEFAULT_EXPIRATION_UTIME).toString();
  const expirationCount = common.expirationCount ?? 0;
  const inserts = jsonChunks(items, NEW_ENTRIES_CHUNK_BYTES).map(({ json, offset }) =>
    c.env.DB.prepare(
      `INSERT INTO entries (userid, host, code, url, create_utime, tag, expiration_utime, expiration_count)
       SELECT ?1, ?2, json_extract(value, '$.c'), json_extract(value, '$.u'), ?3 + key,
              CAST(?4 AS INTEGER), CAST(?5 AS INTEGER), ?6
       FROM json_each(?7) WHERE true
       ON CONFLICT DO NOTHING
       RETURNING id, code`,
    ).bind(userid, host, createUtime + offset, tag, expirationUtime, expirationCount, json),
  );
  const results = await c.env.DB.batch<{ id: number; code: string }>(inserts);
  const idByCode = new Map(results.flatMap((r) => r.results.map((row) => [row.code, row.id] as const)));
  const ids = [...idByCode.values()];
  const rows = ids.length
    ? await c.db
        .select(entryColumns)
        .from(entries)
        .where(sql`${entries.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`)
        .all()
    : [];
  const byId = new Map(rows.map((row) => [row.id, toEntry(row)]));
  const out: Entry[] = [];
  for (const [i, item] of items.entries()) {
    const id = idByCode.get(item.c);
    const entry = id === undefined ? undefined : byId.get(id);
    out.push(entry ?? (await putEntry(c, host, null, { ...common, url: item.u }, createUtime + i)).entry);
  }
  return out;
}
