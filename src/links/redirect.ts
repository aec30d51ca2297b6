// The redirect: GET/HEAD /<code> on the short hosts (CONTRACT.md "Short links").
// entry by (host, code): this isolate's cache, else one indexed D1 read ─► 404 unknown or disabled,
// 410 past expiration_utime ─► limited link: its LinkCounter admits the click (410 past the limit);
// unlimited link: counted in the background, never awaited ─► 302, Cache-Control: private, no-store.
// HEAD answers the same without counting; `?qr` counts in count_qr.
import { Hono } from "hono";
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
export async function fileTarget(
  _request: Request,
  _env: Cloudflare.Env,
  _ctx: ExecutionContext,
  _cached: CachedEntry,
): Promise<Response> {
  return notFoundPage();
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
  const counting = request.method !== "HEAD";
  const qr = url.search !== "" && url.searchParams.has("qr");
  if (entry.expirationCount > 0) {
    const counter = counterFor(env, entry.id);
    const verdict = counting ? await counter.admit(entry.id, qr) : await counter.peek(entry.id);
    if (verdict === "gone") return notFoundPage();
    if (verdict === "exhausted") return expiredPage();
  } else if (counting) {
    countInBackground(env.LINK_COUNTER, entry.id, qr, (p) => ctx.waitUntil(p));
  }

  if (entry.filekey !== "") return fileTarget(request, env, ctx, cached);
  return new Response(null, {
    status: 302,
    headers: { location: cached.location, "cache-control": "private, no-store" },
  });
}

redirectRoutes.get("/:code", (c) => redirect(c.req.raw, c.env, c.executionCtx, new URL(c.req.url)));
