// The redirect: GET/HEAD /<code> on the short hosts (CONTRACT.md "Short links").
// entry by (host, code): this isolate's cache, else one indexed D1 read ─► 404 unknown or disabled,
// 410 past expiration_utime ─► limited link: its LinkCounter admits the click (410 past the limit);
// unlimited link: counted in the background, never awaited ─► 302, Cache-Control: private, no-store.
// HEAD answers the same without counting; `?qr` counts in count_qr.
import { Hono } from "hono";
import { getDb } from "../db/client";
import { fileRedirectLocation } from "../files/redirect-target";
import { linkOwnerBlocked } from "../limits/link-gate";
import { getSettings } from "../settings";
import { messagePage } from "../web/layout";
import { countInBackground } from "./click-batcher";
import { CODE_PATTERN } from "./codes";
import { type CachedEntry, cacheEntry, cacheGeneration, getCachedEntry } from "./entry-cache";
import { findEntry } from "./entry-store";
import { counterFor } from "./link-counter";

type Env = { Bindings: Cloudflare.Env };

export const redirectRoutes = new Hono<Env>();

const notFoundPage = () =>
  messagePage(404, "Link not found", "This short link does not exist, or its owner has switched it off.");
const overLimitPage = async () => {
  const page = await messagePage(
    429,
    "Link paused",
    "This link's owner has used up its click allowance for now. Please try again in a little while.",
  );
  page.headers.set("retry-after", String(OVER_LIMIT_RETRY_AFTER_S));
  return page;
};
/** What an over-limit link's 429 suggests: the gate re-reads the owner's bucket about this often. */
const OVER_LIMIT_RETRY_AFTER_S = 60;
const expiredPage = () => messagePage(410, "Link expired", "This short link has expired and no longer leads anywhere.");

/** The short host a request's code resolves against: its own host when configured, else the default. */
function shortHostOf(env: Cloudflare.Env, hostname: string): string {
  const settings = getSettings(env);
  const host = hostname.toLowerCase();
  return settings.shortHosts.includes(host) ? host : settings.defaultHost;
}

async function lookup(env: Cloudflare.Env, host: string, code: string, nowMs: number): Promise<CachedEntry | null> {
  const hit = getCachedEntry(host, code, nowMs);
  if (hit) return hit;
  const generation = cacheGeneration();
  const entry = await findEntry(getDb(env.DB), host, code);
  return entry ? cacheEntry(entry, generation, nowMs) : null;
}

/** The code of a redirect request's path (/<code>), or null when the path is not a code. */
export function redirectCode(url: URL): string | null {
  const code = url.pathname.slice(1);
  return CODE_PATTERN.test(code) ? code : null;
}

/** Answers GET or HEAD /<code>. */
export async function redirect(request: Request, env: Cloudflare.Env, ctx: ExecutionContext, url: URL) {
  const code = redirectCode(url);
  if (code === null) return notFoundPage();
  const host = shortHostOf(env, url.hostname);
  const nowMs = Date.now();
  const cached = await lookup(env, host, code, nowMs);
  if (!cached?.entry.enabled) return notFoundPage();
  if (cached.expiresAtUs <= nowMs * 1000) return expiredPage();

  const { entry } = cached;
  // The owner's link bucket: a per-isolate flag refreshed in the background, never a round trip.
  if (linkOwnerBlocked(env, entry.userid, (p) => ctx.waitUntil(p))) return overLimitPage();
  const counting = request.method !== "HEAD";
  const qr = url.search !== "" && url.searchParams.has("qr");
  if (entry.expirationCount > 0) {
    const counter = counterFor(env, entry.id);
    const verdict = counting ? await counter.admit(entry.id, qr) : await counter.peek(entry.id);
    if (verdict === "gone") return notFoundPage();
    if (verdict === "exhausted") return expiredPage();
  } else if (counting) {
    countInBackground(env, entry.id, qr, (p) => ctx.waitUntil(p));
  }

  // A file: its signed download (plain) or the page that decrypts it (encrypted). The click that
  // counts is this one; the download URL itself does not count again.
  const location =
    entry.filekey === ""
      ? cached.location
      : await fileRedirectLocation(env, getSettings(env), url.origin, entry, nowMs * 1000);
  return new Response(null, { status: 302, headers: { location, "cache-control": "private, no-store" } });
}

redirectRoutes.get("/:code", (c) => redirect(c.req.raw, c.env, c.executionCtx, new URL(c.req.url)));
