// The `link` bucket on the redirect path (CONTRACT.md: each redirect or QR scan costs its owner
// 1000; an owner whose bucket is empty gets 429 on its links, within a lag, and the redirect of an
// unlimited link makes no Durable Object round trip).
//
// Two halves:
// - `chargeLinkClicks`: the click-count flush (the one place where "N clicks landed for an entry of
//   owner U") charges U's link bucket 1000 per click, after the fact. The bucket may go into an
//   overdraft (down to -capacity), which the owner pays back from the refill.
// - `linkOwnerBlocked`: a synchronous per-isolate answer to "is this owner over its link limit?",
//   from a small cache refreshed in the background (waitUntil) at most every LINK_GATE_REFRESH_MS
//   per owner per isolate. An owner never seen by this isolate is not blocked (its first redirect
//   here starts the refresh).
//
// Lag: an owner whose bucket ran dry is refused by an isolate at most LINK_GATE_REFRESH_MS (plus
// one round trip) after the flush that emptied it landed, and the flush itself trails the clicks
// by the LinkCounter's flush delay. Clicks let through in that lag are still charged: they deepen
// the overdraft, so over time an owner never gets more than its refill rate. See docs/limits.md.
import { getLimitSettings, limitsFor } from "../accounts/limits-config";
import { findUserById } from "../accounts/store";
import { getDb } from "../db/client";
import { limiterStub } from "./charge";
import type { BucketView } from "./user-limiter";

/** What one redirect (click or QR scan) costs its owner. */
export const LINK_CLICK_WEIGHT = 1000;

/** Blocked: the owner's link bucket cannot pay for one more click. */
export function isOverLinkLimit(link: BucketView | null): boolean {
  return link !== null && link.balance < LINK_CLICK_WEIGHT;
}

interface GateEntry {
  blocked: boolean;
  /** Date.now() of the last answer from the owner's limiter (0: never) */
  checkedAtMs: number;
  refreshing: Promise<boolean> | null;
}

/** Owners this isolate knows about; oldest first (Map keeps insertion order). */
const gate = new Map<string, GateEntry>();
/** Bound on the cache: past it, the least recently refreshed owners are forgotten. */
export const LINK_GATE_MAX_OWNERS = 10_000;

function remember(owner: string, entry: GateEntry): void {
  gate.delete(owner);
  gate.set(owner, entry);
  while (gate.size > LINK_GATE_MAX_OWNERS) {
    const oldest = gate.keys().next().value;
    if (oldest === undefined) break;
    gate.delete(oldest);
  }
}

/**
 * Charges `clicks` redirects (clicks and QR scans together) to the link bucket of `ownerUserid`,
 * 1000 each, and returns the bucket afterwards (null when the owner no longer exists). Call it from
 * the flush of landed click counts; it makes one D1 read (the owner's account type) and one
 * UserLimiter round trip. It also refreshes this isolate's gate entry for the owner.
 */
export async function chargeLinkClicks(
  env: Cloudflare.Env,
  ownerUserid: string,
  clicks: number,
): Promise<BucketView | null> {
  if (!Number.isSafeInteger(clicks) || clicks <= 0) return null;
  const owner = await findUserById(getDb(env.DB), ownerUserid);
  if (!owner) return null;
  const limits = limitsFor(owner, getLimitSettings(env)).link;
  const link = await limiterStub(env, ownerUserid).chargeLink(limits, clicks * LINK_CLICK_WEIGHT);
  remember(ownerUserid, { blocked: isOverLinkLimit(link), checkedAtMs: Date.now(), refreshing: null });
  return link;
}

/**
 * Asks the owner's limiter now and updates this isolate's gate entry; resolves to "blocked".
 * Concurrent refreshes of one owner share one round trip. `linkOwnerBlocked` calls it in the
 * background; tests and tools may await it.
 */
export function refreshLinkGate(env: Cloudflare.Env, ownerUserid: string): Promise<boolean> {
  const current = gate.get(ownerUserid);
  if (current?.refreshing) return current.refreshing;
  const refreshing = (async () => {
    try {
      const blocked = isOverLinkLimit(await limiterStub(env, ownerUserid).linkStatus());
      remember(ownerUserid, { blocked, checkedAtMs: Date.now(), refreshing: null });
      return blocked;
    } catch (err) {
      // Keep the last answer; the next redirect after the interval tries again.
      console.error("link gate refresh failed:", err instanceof Error ? err.name : "error");
      const last = gate.get(ownerUserid);
      if (last) last.refreshing = null;
      return last?.blocked ?? false;
    }
  })();
  const entry = current ?? { blocked: false, checkedAtMs: 0, refreshing: null };
  entry.refreshing = refreshing;
  if (!current) remember(ownerUserid, entry);
  return refreshing;
}

/**
 * Whether the links of `ownerUserid` should answer 429 now, from this isolate's cache: no Durable
 * Object round trip on the request path. When the entry is missing or older than
 * LINK_GATE_REFRESH_MS it is refreshed in the background through `waitUntil`.
 */
export function linkOwnerBlocked(
  env: Cloudflare.Env,
  ownerUserid: string,
  waitUntil: (promise: Promise<unknown>) => void,
): boolean {
  const entry = gate.get(ownerUserid);
  const stale = !entry || Date.now() - entry.checkedAtMs >= getLimitSettings(env).linkGateRefreshMs;
  if (stale && !entry?.refreshing) waitUntil(refreshLinkGate(env, ownerUserid));
  return entry?.blocked ?? false;
}
