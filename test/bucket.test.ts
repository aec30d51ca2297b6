// Pure arithmetic of the rate limits: the token bucket (src/limits/bucket.ts), the auth-failure
// window (src/limits/failure-window.ts) and the custom-limit overrides (src/accounts/limits-config.ts).
import { describe, expect, it } from "vitest";
import { parseCustomLimits } from "../src/accounts/limits-config";
import { credit, debit, fullBucket, refill, relimit, secondsToReach, take } from "../src/limits/bucket";
import { inWindow, retryAfterS, throttledUntilUs } from "../src/limits/failure-window";

const api = { capacity: 120_000, refillPerSecond: 2000 };
const T0 = 1_700_000_000_000_000; // µs

describe("refill", () => {
  it("adds refillPerSecond per second, lazily, up to the capacity", () => {
    const s = { balance: 100_000, updatedAtUs: T0 };
    expect(refill(api, s, T0 + 1_000_000)).toEqual({ balance: 102_000, updatedAtUs: T0 + 1_000_000 });
    expect(refill(api, s, T0 + 2_500_000)).toEqual({ balance: 105_000, updatedAtUs: T0 + 2_500_000 });
    expect(refill(api, s, T0 + 3_600_000_000)).toEqual({ balance: 120_000, updatedAtUs: T0 + 3_600_000_000 });
  });

  it("keeps the fraction of a token in progress instead of losing it", () => {
    const slow = { capacity: 100, refillPerSecond: 3 }; // one token per 333,333.3 µs
    let s = { balance: 0, updatedAtUs: T0 };
    // Ten reads 0.2 s apart: 2 s in all is exactly 6 tokens, however the reads fall.
    for (let i = 1; i <= 10; i++) s = refill(slow, s, T0 + i * 200_000);
    expect(s.balance).toBe(6);
    expect(refill(slow, { balance: 0, updatedAtUs: T0 }, T0 + 2_000_000).balance).toBe(6);
  });

  it("is exact where µs × rate passes 2^53 (the link bucket)", () => {
    const link = { capacity: 129_600_000_000, refillPerSecond: 50_000 };
    const s = { balance: 0, updatedAtUs: T0 };
    const oneDayUs = 86_400_000_000;
    expect(refill(link, s, T0 + oneDayUs).balance).toBe(4_320_000_000);
    expect(refill(link, s, T0 + 30 * oneDayUs).balance).toBe(129_600_000_000);
    expect(refill(link, s, T0 + 29 * oneDayUs + 1).balance).toBe(125_280_000_000);
  });

  it("refills nothing when the clock goes backwards or nothing was earned", () => {
    const s = { balance: 10, updatedAtUs: T0 };
    expect(refill(api, s, T0 - 5_000_000)).toEqual(s);
    expect(refill(api, s, T0 + 499)).toEqual(s); // 2000 per s: one token per 500 µs
    expect(refill(api, s, T0 + 500)).toEqual({ balance: 11, updatedAtUs: T0 + 500 });
  });

  it("pays back an overdraft before the balance counts again", () => {
    const link = { capacity: 10_000, refillPerSecond: 1000 };
    expect(refill(link, { balance: -5000, updatedAtUs: T0 }, T0 + 6_000_000).balance).toBe(1000);
  });
});

describe("take", () => {
  it("takes the weight when it fits, and reports the balance before", () => {
    const r = take(api, fullBucket(api, T0), 1000, T0);
    expect(r).toEqual({ ok: true, state: { balance: 119_000, updatedAtUs: T0 }, balanceBefore: 120_000 });
  });

  it("takes exactly the whole balance", () => {
    const r = take(api, { balance: 1000, updatedAtUs: T0 }, 1000, T0);
    expect(r.ok && r.state.balance).toBe(0);
  });

  it("refuses without taking anything, with the seconds until it fits", () => {
    const s = { balance: 500, updatedAtUs: T0 };
    const r = take(api, s, 1000, T0);
    expect(r).toMatchObject({ ok: false, balanceBefore: 500, retryAfterS: 1 });
    expect(r.state.balance).toBe(500);
    // 10,000 missing at 2000 per s: 5 s.
    expect(take(api, { balance: 0, updatedAtUs: T0 }, 10_000, T0)).toMatchObject({ ok: false, retryAfterS: 5 });
    // 0.2 s of the wait already passed (400 tokens earned): 4.8 s left, rounded up.
    expect(take(api, { balance: 0, updatedAtUs: T0 }, 10_000, T0 + 200_000)).toMatchObject({ retryAfterS: 5 });
    expect(take(api, { balance: 0, updatedAtUs: T0 }, 10_000, T0 + 1_200_000)).toMatchObject({ retryAfterS: 4 });
  });

  it("never admits a weight above the capacity; its wait is the time until full", () => {
    const r = take(api, { balance: 100_000, updatedAtUs: T0 }, 150_000, T0);
    expect(r).toMatchObject({ ok: false, retryAfterS: 10 });
  });

  it("a weight of 0 always fits and takes nothing", () => {
    expect(take(api, { balance: 0, updatedAtUs: T0 }, 0, T0)).toMatchObject({ ok: true, state: { balance: 0 } });
  });
});

describe("debit, credit, relimit, secondsToReach", () => {
  const link = { capacity: 10_000, refillPerSecond: 1000 };
  it("debit goes below 0 but not below -capacity", () => {
    expect(debit(link, { balance: 3000, updatedAtUs: T0 }, 5000, T0).balance).toBe(-2000);
    expect(debit(link, { balance: 3000, updatedAtUs: T0 }, 50_000, T0).balance).toBe(-10_000);
  });
  it("credit never fills beyond the capacity", () => {
    expect(credit(link, { balance: 3000, updatedAtUs: T0 }, 5000, T0).balance).toBe(8000);
    expect(credit(link, { balance: 9000, updatedAtUs: T0 }, 5000, T0).balance).toBe(10_000);
  });
  it("relimit keeps the balance, capped by a smaller capacity", () => {
    const s = { balance: 100_000, updatedAtUs: T0 };
    expect(relimit({ capacity: 60_000, refillPerSecond: 1000 }, s).balance).toBe(60_000);
    expect(relimit({ capacity: 200_000, refillPerSecond: 1000 }, s)).toBe(s);
  });
  it("secondsToReach is 0 when already there, else whole seconds rounded up", () => {
    expect(secondsToReach(link, { balance: 10_000, updatedAtUs: T0 }, 10_000, T0)).toBe(0);
    expect(secondsToReach(link, { balance: 0, updatedAtUs: T0 }, 10_000, T0)).toBe(10);
    expect(secondsToReach(link, { balance: 0, updatedAtUs: T0 }, 1, T0)).toBe(1);
  });
});

describe("failure window", () => {
  const policy = { maxFailures: 10, windowS: 900 };
  const s = 1_000_000;
  it("is not throttled below the maximum", () => {
    const nine = Array.from({ length: 9 }, (_, i) => T0 + i * s);
    expect(throttledUntilUs(nine, policy, T0 + 10 * s)).toBe(0);
  });
  it("is throttled at the maximum until the oldest failure leaves the window", () => {
    const ten = Array.from({ length: 10 }, (_, i) => T0 + i * s);
    expect(throttledUntilUs(ten, policy, T0 + 10 * s)).toBe(T0 + 900 * s);
    expect(retryAfterS(T0 + 900 * s, T0 + 10 * s)).toBe(890);
    // One µs after the first failure left, nine remain.
    expect(throttledUntilUs(ten, policy, T0 + 900 * s)).toBe(0);
    expect(inWindow(ten, policy, T0 + 900 * s)).toHaveLength(9);
  });
  it("with more than the maximum, waits until fewer than the maximum remain", () => {
    const twelve = Array.from({ length: 12 }, (_, i) => T0 + i * s);
    expect(throttledUntilUs(twelve, policy, T0 + 12 * s)).toBe(T0 + 2 * s + 900 * s);
  });
});

describe("custom limits", () => {
  const base = { api: { capacity: 120_000, refillPerSecond: 2000 }, link: { capacity: 5, refillPerSecond: 1 } };
  it("overrides any subset of the registered limits", () => {
    expect(parseCustomLimits('{"api_capacity": 1000000, "link_refill_rate": 0}', base)).toEqual({
      api: { capacity: 1_000_000, refillPerSecond: 2000 },
      link: { capacity: 5, refillPerSecond: 0 },
    });
    expect(parseCustomLimits("{}", base)).toEqual(base);
  });
  it("refuses malformed values", () => {
    expect(() => parseCustomLimits('{"api_capacity": 0}', base)).toThrow(/api_capacity/);
    expect(() => parseCustomLimits('{"api_refill_rate": "5"}', base)).toThrow(/api_refill_rate/);
    expect(() => parseCustomLimits("[]", base)).toThrow();
  });
});
