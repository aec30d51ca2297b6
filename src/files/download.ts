// GET/HEAD /-/download/<filekey>/<filename>?exp=<µs>&sig=<hex>: a signed, expiring download,
// streamed from R2 with single byte ranges. Always an attachment of type application/octet-stream
// with nosniff and a sandboxing CSP: nothing stored is ever rendered from our origin. A download
// does not count as a click: the short link's open did.
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { nowUs } from "../api/clock";
import { ALNUM32 } from "../api/fields";
import { getDb } from "../db/client";
import { entries } from "../db/schema";
import { entryColumns, toEntry } from "../links/entry-store";
import { messagePage } from "../web/layout";
import { DOWNLOAD_PREFIX, verifyDownload } from "./download-url";
import { attachmentDisposition, parseRange } from "./http-headers";
import { storageKey } from "./storage-key";

export const downloadRoutes = new Hono<{ Bindings: Cloudflare.Env }>();

const forbidden = () =>
  messagePage(403, "Link not valid", "This download link is not valid. Open the short link again to get a fresh one.");
const expired = () =>
  messagePage(410, "Link expired", "This download link has expired. Open the short link again to get a fresh one.");
const gone = () => messagePage(404, "Not found", "This file does not exist (any more).");

downloadRoutes.get("/*", async (c) => {
  const url = new URL(c.req.url);
  // "/-/download/<filekey>[/<filename>]": the file name is cosmetic.
  const rest = url.pathname.slice(url.pathname.indexOf(DOWNLOAD_PREFIX) + DOWNLOAD_PREFIX.length);
  const filekey = rest.split("/")[0] ?? "";
  const exp = url.searchParams.get("exp") ?? "";
  const sig = url.searchParams.get("sig") ?? "";
  if (!ALNUM32.test(filekey) || !(await verifyDownload(c.env.DOWNLOAD_SIGNING_SECRET, filekey, exp, sig))) {
    return forbidden();
  }
  const now = BigInt(nowUs());
  if (BigInt(exp) <= now) return expired();

  const row = await getDb(c.env.DB).select(entryColumns).from(entries).where(eq(entries.filekey, filekey)).get();
  const entry = row ? toEntry(row) : null;
  if (!entry?.enabled) return gone();
  if (entry.expirationUtime <= now) return expired();

  const key = storageKey(entry.userid, entry.filekey, entry.url);
  const headers = new Headers({
    "content-type": "application/octet-stream",
    "content-disposition": attachmentDisposition(entry.url),
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "cache-control": "private, no-store",
    "referrer-policy": "no-referrer",
    "accept-ranges": "bytes",
  });

  const rangeHeader = c.req.header("range");
  if (c.req.method === "HEAD" || rangeHeader) {
    const head = await c.env.FILES.head(key);
    if (!head) return gone();
    headers.set("etag", head.httpEtag);
    const range = parseRange(rangeHeader, head.size);
    if (range === "unsatisfiable") {
      headers.set("content-range", `bytes */${head.size}`);
      return new Response(null, { status: 416, headers });
    }
    if (c.req.method === "HEAD") {
      headers.set("content-length", String(range ? range.length : head.size));
      if (range) headers.set("content-range", `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`);
      return new Response(null, { status: range ? 206 : 200, headers });
    }
    if (range) {
      const obj = await c.env.FILES.get(key, { range: { offset: range.offset, length: range.length } });
      if (!obj) return gone();
      headers.set("content-length", String(range.length));
      headers.set("content-range", `bytes ${range.offset}-${range.offset + range.length - 1}/${obj.size}`);
      return new Response(obj.body, { status: 206, headers });
    }
  }
  const obj = await c.env.FILES.get(key);
  if (!obj) return gone();
  headers.set("etag", obj.httpEtag);
  headers.set("content-length", String(obj.size));
  return new Response(obj.body, { status: 200, headers });
});
