// The link bucket and the redirect gate (src/limits/link-gate.ts): clicks charged to the owner
// when counts are flushed; an owner over its link limit is reported blocked by the per-isolate
// gate within LINK_GATE_REFRESH_MS (2 s by default) of its bucket running dry; other owners are
// not affected, and the gate never waits for the limiter on the request path.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getLimitSettings } from "../src/accounts/limits-config";
import { limiterStub } from "../src/limits/charge";
import { chargeLinkClicks, LINK_CLICK_WEIGHT, linkOwnerBlocked, refreshLinkGate } from "../src/limits/link-gate";
import { ok, registered } from "./helpers/api";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A waitUntil that keeps the promises, so a test can let the background work land. */
function backgroundWork() {
  const pending: Promise<unknown>[] = [];
  return {
    waitUntil: (p: Promise<unknown>) => {
      pending.push(p);
    },
    async settle() {
      await Promise.all(pending.splice(0));
    },
    get count() {
      return pending.length;
    },
  };
}

describe("chargeLinkClicks", () => {
  it("charges the owner 1000 per click from its link bucket", async () => {
    const a = await registered("clicks");
    const before = await ok("get_account_info", { userid: a.userid, token: a.token });
    expect(before.link_balance).toBe(129600000000);
    const after = await chargeLinkClicks(env, a.userid, 7);
    // The bucket was full: exactly 7 clicks' worth is gone.
    expect(after?.balance).toBe(129600000000 - 7 * LINK_CLICK_WEIGHT);
    expect(after?.capacity).toBe(129600000000);
    // The api bucket is untouched by clicks.
    const info = await ok("get_account_info", { userid: a.userid, token: a.token });
    expect(info.api_balance).toBeGreaterThanOrEqual(118000);
    expect(await chargeLinkClicks(env, "x".repeat(32), 1)).toBeNull(); // no such owner
  });

  it("uses the owner's account type: a temporary owner has the smaller link bucket", async () => {
    const { userid } = await ok("temporary_account");
    const after = await chargeLinkClicks(env, userid, 1);
    expect(after).toMatchObject({ capacity: 12960000000, refillPerSecond: 5000, balance: 12959999000 });
  });
});

describe("linkOwnerBlocked", () => {
  it("reports an owner with an empty link bucket blocked within the lag; others are unaffected", async () => {
    const owner = await registered("busy");
    const bystander = await registered("calm");
    await ok("get_account_info", { userid: owner.userid, token: owner.token }); // records the link limits
    const bg = backgroundWork();

    // Unknown to this isolate: not blocked, and a refresh starts in the background.
    expect(linkOwnerBlocked(env, owner.userid, bg.waitUntil)).toBe(false);
    expect(bg.count).toBe(1);
    await bg.settle();
    expect(linkOwnerBlocked(env, owner.userid, bg.waitUntil)).toBe(false);
    expect(bg.count).toBe(0); // fresh: no round trip at all
    expect(linkOwnerBlocked(env, bystander.userid, bg.waitUntil)).toBe(false);
    await bg.settle();

    // Another isolate's flush empties the owner's bucket (straight to its limiter, so this
    // isolate's cache is not told).
    const limits = getLimitSettings(env).registered.link;
    const drained = await limiterStub(env, owner.userid).chargeLink(limits, 2 * limits.capacity);
    expect(drained.balance).toBe(-limits.capacity);
    const drainedAtMs = Date.now();

    let blockedAfterMs = -1;
    while (Date.now() - drainedAtMs < 6000) {
      if (linkOwnerBlocked(env, owner.userid, bg.waitUntil)) {
        blockedAfterMs = Date.now() - drainedAtMs;
        break;
      }
      expect(linkOwnerBlocked(env, bystander.userid, bg.waitUntil)).toBe(false);
      await bg.settle();
      await sleep(50);
    }
    console.log(`link gate: owner blocked ${blockedAfterMs} ms after its bucket ran dry`);
    expect(blockedAfterMs).toBeGreaterThanOrEqual(0);
    // The documented lag: the refresh interval plus one round trip (generous for a loaded machine).
    expect(blockedAfterMs).toBeLessThanOrEqual(getLimitSettings(env).linkGateRefreshMs + 1500);
    await bg.settle();
    expect(linkOwnerBlocked(env, bystander.userid, bg.waitUntil)).toBe(false);
    // get_account_info shows the overdraft.
    const info = await ok("get_account_info", { userid: owner.userid, token: owner.token });
    expect(info.link_balance).toBeLessThan(0);
  });

  it("a small overdraft is paid back by the refill, and the owner's links work again", async () => {
    const owner = await registered("payback");
    const limits = getLimitSettings(env).registered.link; // 50000 per s: 50 clicks per s
    // Everything, plus 25 clicks: -25000, so 26000 to earn (0.52 s) before one click is affordable.
    const after = await chargeLinkClicks(env, owner.userid, limits.capacity / LINK_CLICK_WEIGHT + 25);
    expect(after?.balance).toBeLessThanOrEqual(-25000 + 100);
    expect(await refreshLinkGate(env, owner.userid)).toBe(true);
    await sleep(700);
    expect(await refreshLinkGate(env, owner.userid)).toBe(false);
    expect(linkOwnerBlocked(env, owner.userid, () => {})).toBe(false);
  });
});
