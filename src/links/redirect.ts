// The redirect: GET/HEAD /<code> on the short hosts (CONTRACT.md "Short links").
// entry by (host, code): this isolate's cache, else one indexed D1 read ─► 404 unknown or disabled,
// 410 past expiration_utime ─► limited link: its LinkCounter admits the click (410 past the limit);
// unlimited link: counted in the background, never awaited ─► 302, Cache-Control: private, no-store.
// HEAD answers the same without counting; `?qr` counts in count_qr.
import { type Context, Hono } from "hono";
import { getDb } from "../db/client";
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

/**
 * The answer for a FILE entry (filekey !== ""), once the click is admitted and counted.
 * Placeholder: the files module (issue 6) replaces this function with a 302 to a signed download
 * URL (plain files) or to the encrypted-file page (encrypted ones). Until then: 404.
 */
export async function fileTarget(_c: Context<Env>, _cached: CachedEntry): Promise<Response> {
  return notFoundPage();
}

redirectRoutes.get("/:code", async (c) => {
  const code = c.req.param("code");
  if (!CODE_PATTERN.test(code)) return notFoundPage();
  const url = new URL(c.req.url);
  const host = shortHostOf(c.env, url.hostname);
  const nowMs = Date.now();
  const cached = await lookup(c.env, host, code, nowMs);
  if (!cached?.entry.enabled) return notFoundPage();
  if (cached.expiresAtMs <= nowMs) return expiredPage();

  const { entry } = cached;
  const counting = c.req.method !== "HEAD";
  const qr = url.searchParams.has("qr");
  if (entry.expirationCount > 0) {
    const counter = counterFor(c.env, entry.id);
    const verdict = counting ? await counter.admit(entry.id, qr) : await counter.peek(entry.id);
    if (verdict === "gone") return notFoundPage();
    if (verdict === "exhausted") return expiredPage();
  } else if (counting) {
    countInBackground(c.env.LINK_COUNTER, entry.id, qr, (p) => c.executionCtx.waitUntil(p));
  }

  if (entry.filekey !== "") return fileTarget(c, cached);
  return new Response(null, {
    status: 302,
    headers: { location: cached.location, "cache-control": "private, no-store" },
  });
});
