// Clicks counted exactly: concurrent clicks on limited and unlimited links, the LinkCounter's
// flush to D1 (run at once with runDurableObjectAlarm), and what get_entry / get_entries show.
//
// The clicks call the worker's fetch handler directly, with one execution context per burst, so
// that hundreds really are in flight at once (the test runner's loopback `exports.default.fetch`
// serializes large bursts) and so that `waitOnExecutionContext` can tell when their background
// counting (waitUntil) is done. Bindings, D1 and the Durable Objects are the real ones.
import {
  createExecutionContext,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import type { LinkCounter } from "../src/links/link-counter";
import { ok, temporary } from "./helpers/api";

const counterOf = (id: number): DurableObjectStub<LinkCounter> =>
  env.LINK_COUNTER.get(env.LINK_COUNTER.idFromName(String(id)));

/** n clicks at once; resolves once every answer is in (background counting may still run). */
async function clicks(shorturl: string, n: number, query = ""): Promise<number[]> {
  const ctx = createExecutionContext();
  const answers = await Promise.all(
    Array.from({ length: n }, () => worker.fetch(new Request(`${shorturl}${query}`), env, ctx)),
  );
  lastBurst = ctx;
  return answers.map((r) => r.status);
}

let lastBurst: ExecutionContext | null = null;

/** Waits for the background work (waitUntil) of the last burst of clicks. */
async function backgroundDone(): Promise<void> {
  if (lastBurst) await waitOnExecutionContext(lastBurst);
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((t, s) => {
    t[s] = (t[s] ?? 0) + 1;
    return t;
  }, {});

/** Polls get_entry until its count reaches `want` (background counts land well within a second). */
async function exactCount(who: { userid: string }, shorturl: string, want: number) {
  let entry = (await ok("get_entry", { ...who, shorturl })).entry;
  for (let i = 0; i < 40 && entry.count + entry.count_qr < want; i++) {
    await new Promise((r) => setTimeout(r, 50));
    entry = (await ok("get_entry", { ...who, shorturl })).entry;
  }
  return entry;
}

/** Runs the counter's pending flush now; then the listing shows what D1 holds. */
async function flushed(who: { userid: string }, id: number) {
  await runDurableObjectAlarm(counterOf(id));
  const list = await ok("get_entries", { ...who, count: 10 });
  return list.entries.find((e: { id: number }) => e.id === id);
}

describe("a link with expiration_count 50", () => {
  it("lets exactly 50 of 200 concurrent clicks through; the other 150 get 410", async () => {
    const who = await temporary();
    const { entry } = await ok("url", { ...who, url: "https://example.com/limited", expiration_count: 50 });
    const statuses = await clicks(entry.shorturl, 200);
    expect(tally(statuses)).toEqual({ 302: 50, 410: 150 });
    const got = (await ok("get_entry", { ...who, shorturl: entry.shorturl })).entry;
    expect([got.count, got.count_qr]).toEqual([50, 0]);
    expect((await flushed(who, entry.id)).count).toBe(50);
    // Still exhausted afterwards, and QR scans count against the same limit.
    expect(await clicks(entry.shorturl, 5, "?qr")).toEqual([410, 410, 410, 410, 410]);
  });

  it("counts QR scans against the limit, in count_qr", async () => {
    const who = await temporary();
    const { entry } = await ok("url", { ...who, url: "https://example.com/", expiration_count: 10 });
    const statuses = [...(await clicks(entry.shorturl, 20, "?qr")), ...(await clicks(entry.shorturl, 20))];
    expect(tally(statuses)).toEqual({ 302: 10, 410: 30 });
    const got = (await ok("get_entry", { ...who, shorturl: entry.shorturl })).entry;
    expect([got.count, got.count_qr]).toEqual([0, 10]);
  });
});

describe("an unlimited link", () => {
  it("redirects all of 1000 concurrent clicks; get_entry counts 1000, get_entries too after the flush", async () => {
    const who = await temporary();
    const { entry } = await ok("url", { ...who, url: "https://example.com/unlimited" });
    const statuses = await clicks(entry.shorturl, 1000);
    expect(tally(statuses)).toEqual({ 302: 1000 });
    // Once the clicks' background counting is done, get_entry is exact (no polling).
    await backgroundDone();
    const got = (await ok("get_entry", { ...who, shorturl: entry.shorturl })).entry;
    expect([got.count, got.count_qr]).toEqual([1000, 0]);
    expect((await flushed(who, entry.id)).count).toBe(1000);
    // The counter holds nothing unflushed any more.
    await runInDurableObject(counterOf(entry.id), async (_instance, state) => {
      const row = state.storage.sql.exec("SELECT count, flushed_count FROM counter").one();
      expect(row).toEqual({ count: 1000, flushed_count: 1000 });
    });
  });

  it("keeps counting across flushes, clicks and QR scans apart", async () => {
    const who = await temporary();
    const { entry } = await ok("url", { ...who, url: "https://example.com/" });
    await clicks(entry.shorturl, 30);
    await clicks(entry.shorturl, 12, "?qr");
    await exactCount(who, entry.shorturl, 42);
    const first = await flushed(who, entry.id);
    expect([first.count, first.count_qr]).toEqual([30, 12]);
    await clicks(entry.shorturl, 8);
    const got = await exactCount(who, entry.shorturl, 50);
    expect([got.count, got.count_qr]).toEqual([38, 12]);
    const second = await flushed(who, entry.id);
    expect([second.count, second.count_qr]).toEqual([38, 12]);
  });

  it("schedules its flush by itself (the alarm fires without help)", async () => {
    const who = await temporary();
    const { entry } = await ok("url", { ...who, url: "https://example.com/" });
    await clicks(entry.shorturl, 7);
    await exactCount(who, entry.shorturl, 7);
    let listed = 0;
    for (let i = 0; i < 60 && listed !== 7; i++) {
      await new Promise((r) => setTimeout(r, 100));
      listed = (await ok("get_entries", { ...who, count: 1 })).entries[0].count;
    }
    expect(listed).toBe(7);
  });
});

describe("LinkCounter", () => {
  it("writes absolute totals, so a repeated flush cannot count twice", async () => {
    const who = await temporary();
    const { entry } = await ok("url", { ...who, url: "https://example.com/", expiration_count: 100 });
    await clicks(entry.shorturl, 5);
    const counter = counterOf(entry.id);
    await runDurableObjectAlarm(counter);
    // Pretend the flush's bookkeeping was lost after D1 took the totals: flushing again is harmless.
    await runInDurableObject(counter, async (instance, state) => {
      state.storage.sql.exec("UPDATE counter SET flushed_count = 0");
      await instance.alarm();
    });
    const row = await env.DB.prepare("SELECT count FROM entries WHERE id = ?").bind(entry.id).first();
    expect(row).toEqual({ count: 5 });
  });

  it("reports an entry deleted meanwhile as gone", async () => {
    const who = await temporary();
    const { entry } = await ok("url", { ...who, url: "https://example.com/", expiration_count: 3 });
    await ok("delete", { ...who, shorturl: entry.shorturl });
    expect(await counterOf(entry.id).admit(entry.id, false)).toBe("gone");
  });
});
