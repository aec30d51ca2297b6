// In-isolate cache of hot entries for the redirect. An entry read from D1 is served from here for
// at most ENTRY_CACHE_TTL_MS: a change made through another isolate (disable, delete, new target,
// new click limit) reaches this isolate's redirects within that bound. Writes made in this isolate
// invalidate at once (entry-store calls `invalidateEntry`), and a read that raced with such a write
// is not cached (the generation check). Unknown codes are never cached, so a new link works at once
// everywhere. See docs/links.md.
import type { Entry } from "./entry-store";

/** The staleness bound of a cached entry across isolates. */
export const ENTRY_CACHE_TTL_MS = 1000;
/** Entries kept per isolate; the oldest insertion goes first. */
export const ENTRY_CACHE_MAX = 10_000;

export interface CachedEntry {
  entry: Entry;
  /** the Location of a URL entry, normalized once (ASCII, percent-encoded) */
  location: string;
  /** expiration_utime as a number (past 2^53 µs it is far in the future anyway) */
  expiresAtUs: number;
  cachedUntilMs: number;
}

const cache = new Map<string, CachedEntry>();
let generation = 0;

const key = (host: string, code: string) => `${host}/${code}`;

export function getCachedEntry(host: string, code: string, nowMs: number): CachedEntry | undefined {
  const k = key(host, code);
  const hit = cache.get(k);
  if (!hit) return undefined;
  if (hit.cachedUntilMs <= nowMs) {
    cache.delete(k);
    return undefined;
  }
  return hit;
}

/** The current generation: take it before reading D1, hand it to `cacheEntry` after. */
export function cacheGeneration(): number {
  return generation;
}

export function cacheEntry(entry: Entry, readAtGeneration: number, nowMs: number): CachedEntry {
  let location = entry.url;
  if (entry.filekey === "") {
    try {
      location = new URL(entry.url).href;
    } catch {
      // stored URLs were validated on the way in; keep it as is
    }
  }
  const expiresAtUs = Number(entry.expirationUtime);
  const cached: CachedEntry = { entry, location, expiresAtUs, cachedUntilMs: nowMs + ENTRY_CACHE_TTL_MS };
  if (readAtGeneration === generation) {
    const k = key(entry.host, entry.code);
    cache.delete(k);
    if (cache.size >= ENTRY_CACHE_MAX) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(k, cached);
  }
  return cached;
}

/** A write changed or removed the entry at host/code: forget it now. */
export function invalidateEntry(host: string, code: string): void {
  generation += 1;
  cache.delete(key(host, code));
}
