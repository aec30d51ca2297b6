// The UserLimiter deletes itself (its alarm) once nothing in it matters any more: every bucket
// full again (a full bucket and an absent one behave the same) and every failure out of its
// window. So the limiters of one-off client IPs and guessed names do not pile up.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { limiterStub } from "../src/limits/charge";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function tables(name: string): Promise<Record<string, number>> {
  return runInDurableObject(limiterStub(env, name), (_instance, state) => {
    const out: Record<string, number> = {};
    const names = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('buckets', 'failures')")
      .toArray();
    for (const { name: t } of names) {
      out[t] = state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`).one().n;
    }
    return out;
  });
}

describe("limiter cleanup", () => {
  it("keeps a bucket until it is full again, then deletes everything; the limiter still works", async () => {
    const name = "ip:192.0.2.50";
    const api = { capacity: 10_000, refillPerSecond: 1000 };
    const stub = limiterStub(env, name);
    const first = await stub.charge({ api }, 1000); // full again 1 s later
    expect(first.ok && first.api.balance).toBe(9000);
    expect(await runDurableObjectAlarm(stub)).toBe(true); // too early: comes back later
    expect(await tables(name)).toMatchObject({ buckets: 1 });
    await sleep(1100);
    await runDurableObjectAlarm(stub); // (the alarm may already have fired by itself)
    expect(await tables(name)).toEqual({});
    // Used again: the bucket starts full, as it would have been.
    const again = await stub.charge({ api }, 1000);
    expect(again.ok && again.apiBefore.balance).toBe(10_000);
  });

  it("keeps failures until they leave their window", async () => {
    const name = "throttle:test:cleanup";
    const stub = limiterStub(env, name);
    const policy = { maxFailures: 2, windowS: 2 };
    await stub.recordFailure(policy);
    await stub.recordFailure(policy);
    expect(await stub.checkAttempt(policy)).toMatchObject({ ok: false });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await tables(name)).toMatchObject({ failures: 2 });
    await sleep(2100);
    await runDurableObjectAlarm(stub); // (the alarm may already have fired by itself)
    expect(await tables(name)).toEqual({});
    expect(await stub.checkAttempt(policy)).toEqual({ ok: true });
  });
});
