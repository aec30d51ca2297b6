// The link bucket end to end, through real redirects: clicks are counted, flushed, charged to the
// owner (1000 each); once the owner's link bucket is empty its links answer 429 within the gate's
// lag (LINK_GATE_REFRESH_MS, 2 s by default), while other owners' links still redirect.
import { createExecutionContext, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { counterFor } from "../src/links/link-counter";
import { credsOf, ok, registered } from "./helpers/api";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function open(shorturl: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(shorturl, { redirect: "manual" }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("an owner whose link bucket runs dry", () => {
  it("gets 429 on its links within the gate's lag; another owner's links still redirect", {
    timeout: 60_000,
  }, async () => {
    // A custom account whose link bucket holds 5 clicks and refills 1 weight unit per second.
    const poor = await credsOf(registered("poor"));
    await env.DB.prepare("UPDATE users SET type = 'custom', custom_limits = ? WHERE userid = ?")
      .bind(JSON.stringify({ link_capacity: 5000, link_refill_rate: 1 }), poor.userid)
      .run();
    const rich = await credsOf(registered("rich"));
    const poorLink = (await ok("url", { ...poor, url: "https://poor.example/" })).entry;
    const richLink = (await ok("url", { ...rich, url: "https://rich.example/" })).entry;

    for (let i = 0; i < 5; i++) expect((await open(poorLink.shorturl)).status).toBe(302);
    // get_entry hands this isolate's pending clicks to the counter; its alarm flushes them to D1
    // and charges them to the owner.
    expect((await ok("get_entry", { ...poor, shorturl: poorLink.shorturl })).entry.count).toBe(5);
    await runDurableObjectAlarm(counterFor(env, poorLink.id));
    expect((await ok("get_account_info", poor)).link_balance).toBeLessThan(1000);

    // Within the lag the gate learns it (in the background of a redirect) and refuses.
    const started = Date.now();
    let status = 302;
    while (status !== 429 && Date.now() - started < 10_000) {
      status = (await open(poorLink.shorturl)).status;
      if (status !== 429) await sleep(100);
    }
    const lagMs = Date.now() - started;
    expect(status).toBe(429);
    expect(lagMs).toBeLessThan(2000 + 1500);
    const refused = await open(poorLink.shorturl);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(refused.headers.get("content-type")).toContain("text/html");

    const other = await open(richLink.shorturl);
    expect(other.status).toBe(302);
    expect(other.headers.get("location")).toBe("https://rich.example/");
  });
});
