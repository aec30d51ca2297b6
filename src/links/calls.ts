// Link calls: url, urls, get_entry, get_entries, change_shorturl, set_enabled, set_tag,
// set_expiration_count, delete (CONTRACT.md "Short links"; decisions in docs/links.md).
// The `qr` input belongs to the QR module; until it exists, unknown keys are ignored.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { nowUs } from "../api/clock";
import { ApiError } from "../api/errors";
import { bool, credentials, int64, intIn } from "../api/fields";
import { defineCall, fixed } from "../api/registry";
import { int64In } from "../db/int64";
import { entries } from "../db/schema";
import { deleteStoredFile } from "../files/storage-key";
import { qrInput } from "../qr/options";
import { qrcodeExtra } from "../qr/qrcode";
import { sendPendingClicks } from "./click-batcher";
import { parseShortUrl, resolveShortRef } from "./codes";
import { invalidateEntry } from "./entry-cache";
import { entryInput, entryWriteOf, expirationCount, shortRefInput } from "./entry-fields";
import { entryOutput } from "./entry-output";
import {
  type Entry,
  findEntry,
  findOwnEntryByShortUrl,
  putEntry,
  putNewEntries,
  toEntry,
  updateOwnEntry,
  urlWrite,
} from "./entry-store";
import { counterFor } from "./link-counter";
import { listingQuery, tagFilter } from "./listing";
import { targetUrl } from "./target-url";

const text = z.string({ error: "must be a string" });
export const URLS_MAX = 1000;
export const GET_ENTRIES_MAX = 1000;

export const url = defineCall({
  type: "url",
  summary: "Shorten a URL, or replace the target of one of your codes (code or shorturl).",
  input: z.object({ ...credentials, ...entryInput, ...shortRefInput, url: targetUrl }),
  auth: "account",
  weight: fixed(1000),
  async handler(c, input) {
    const ref = resolveShortRef(input, c.settings.shortHosts);
    const { entry, previous } = await putEntry(c, ref.host, ref.code, {
      ...urlWrite(input.url),
      ...entryWriteOf(input),
    });
    // A URL replacing a file: the file's bytes go.
    if (previous) await deleteStoredFile(c.env.FILES, previous);
    return { entry: entryOutput(entry, 0, qrcodeExtra(entry, input.qr)) };
  },
});

export const urls = defineCall({
  type: "urls",
  summary: "Shorten up to 1000 URLs at once; the entries come back in the order given.",
  input: z.object({
    ...credentials,
    ...entryInput,
    urls: z.array(targetUrl, { error: "must be a list" }).min(1, "must hold at least 1 URL").max(URLS_MAX),
  }),
  auth: "account",
  weight: (input) => 1000 + 100 * input.urls.length,
  async handler(c, input) {
    const host = resolveShortRef({ host: input.host }, c.settings.shortHosts).host;
    const created = await putNewEntries(c, host, input.urls, entryWriteOf(input));
    // The entries took the µs c.nowUs .. c.nowUs + n - 1: move this isolate's clock past them.
    for (let i = 1; i < created.length; i++) nowUs();
    return { entries: created.map((e) => entryOutput(e, 0, qrcodeExtra(e, input.qr))) };
  },
});

/** An entry with its exact click totals: the counter's, which may not have reached D1 yet. */
async function withExactCounts(env: Cloudflare.Env, entry: Entry): Promise<Entry> {
  await sendPendingClicks(entry.id);
  const counts = await counterFor(env, entry.id).counts();
  if (!counts) return entry;
  return { ...entry, count: Math.max(entry.count, counts.count), countQr: Math.max(entry.countQr, counts.countQr) };
}

export const getEntry = defineCall({
  type: "get_entry",
  summary: "One of your entries, with exact click counts.",
  input: z.object({ ...credentials, shorturl: text, qr: qrInput }),
  auth: "account",
  weight: fixed(1000),
  async handler(c, input) {
    const entry = await findOwnEntryByShortUrl(c, input.shorturl);
    return { entry: entryOutput(await withExactCounts(c.env, entry), 0, qrcodeExtra(entry, input.qr)) };
  },
});

export const getEntries = defineCall({
  type: "get_entries",
  summary: "Your entries, newest first, filtered by tag, tagmask_and or tagmask_or, paged by start and count.",
  input: z.object({
    ...credentials,
    start: intIn(0, Number.MAX_SAFE_INTEGER).default(0),
    count: intIn(1, GET_ENTRIES_MAX).default(3),
    tag: int64.optional(),
    tagmask_and: int64.optional(),
    tagmask_or: int64.optional(),
    qr: qrInput,
  }),
  auth: "account",
  weight: (input) => 1000 + 100 * input.count,
  settle: (_input, output: { entries: unknown[] }) => 1000 + 100 * output.entries.length,
  async handler(c, input) {
    const userid = c.user.userid;
    const rows = await listingQuery(c.db, userid, tagFilter(input), input.start, input.count);
    return {
      entries: rows.map((row, i) => {
        const entry = toEntry(row);
        return entryOutput(entry, input.start + i, qrcodeExtra(entry, input.qr));
      }),
    };
  },
});

const conflict = () =>
  new ApiError("conflict", "That short URL is already taken.", {
    field: "shorturl_new",
  });

export const changeShorturl = defineCall({
  type: "change_shorturl",
  summary: "Move one of your entries to another free short URL; its id, counts and limits follow it.",
  input: z.object({ ...credentials, shorturl_old: text, shorturl_new: text }),
  auth: "account",
  weight: fixed(1000),
  async handler(c, input) {
    const entry = await findOwnEntryByShortUrl(c, input.shorturl_old, "shorturl_old");
    const next = parseShortUrl(input.shorturl_new, c.settings.shortHosts, "shorturl_new");
    if (next.host === entry.host && next.code === entry.code) return {};
    if (await findEntry(c.db, next.host, next.code)) throw conflict();
    try {
      await updateOwnEntry(c, entry, { host: next.host, code: next.code });
    } catch (err) {
      if (err instanceof Error && /UNIQUE constraint failed/i.test(err.message)) throw conflict();
      throw err;
    }
    invalidateEntry(next.host, next.code);
    return {};
  },
});

export const setEnabled = defineCall({
  type: "set_enabled",
  summary: "Enable or disable one of your short URLs (disabled ones answer 404).",
  input: z.object({ ...credentials, shorturl: text, enabled: bool }),
  auth: "account",
  weight: fixed(1000),
  async handler(c, input) {
    const entry = await findOwnEntryByShortUrl(c, input.shorturl);
    await updateOwnEntry(c, entry, { enabled: input.enabled ? 1 : 0 });
    return {};
  },
});

export const setTag = defineCall({
  type: "set_tag",
  summary: "Set the 64-bit tag of one of your short URLs.",
  input: z.object({ ...credentials, shorturl: text, tag: int64 }),
  auth: "account",
  weight: fixed(1000),
  async handler(c, input) {
    const entry = await findOwnEntryByShortUrl(c, input.shorturl);
    await updateOwnEntry(c, entry, { tag: int64In(input.tag) });
    return {};
  },
});

export const setExpirationCount = defineCall({
  type: "set_expiration_count",
  summary: "Set the click limit of one of your short URLs (0: unlimited; below the clicks made: expired).",
  input: z.object({ ...credentials, shorturl: text, expiration_count: expirationCount }),
  auth: "account",
  weight: fixed(1000),
  async handler(c, input) {
    const entry = await findOwnEntryByShortUrl(c, input.shorturl);
    await updateOwnEntry(c, entry, { expirationCount: input.expiration_count });
    // D1 first, then the counter: a counter loading meanwhile reads the new limit either way.
    await counterFor(c.env, entry.id).setLimit(input.expiration_count);
    return {};
  },
});

export const deleteEntry = defineCall({
  type: "delete",
  summary: "Delete one of your entries and its stored file; the code becomes free.",
  input: z.object({ ...credentials, shorturl: text }),
  auth: "account",
  weight: fixed(1000),
  async handler(c, input) {
    const entry = await findOwnEntryByShortUrl(c, input.shorturl);
    await c.db.delete(entries).where(and(eq(entries.id, entry.id), eq(entries.userid, entry.userid)));
    invalidateEntry(entry.host, entry.code);
    await deleteStoredFile(c.env.FILES, entry);
    // The counter reports its last clicks and drops its storage; the entry is gone either way.
    c.waitUntil(
      counterFor(c.env, entry.id)
        .forget()
        .catch((err: unknown) => console.error("LinkCounter forget failed:", err instanceof Error ? err.message : err)),
    );
    return {};
  },
});

export const linkCalls = [
  url,
  urls,
  getEntry,
  getEntries,
  changeShorturl,
  setEnabled,
  setTag,
  setExpirationCount,
  deleteEntry,
];
