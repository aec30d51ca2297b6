// Password guessing: login is limited per target account (10 failures in 15 minutes, then 429
// whatever the password, until the window passes), from one address or from many; the failures of
// concurrent guesses are counted exactly. The module is src/limits/auth-throttle.ts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admitAttempt, assertNotThrottled, clearFailures, recordFailure } from "../src/limits/auth-throttle";
import { derivePassword, post, type Reply, registered } from "./helpers/api";

const WRONG = "0".repeat(64);

function expectThrottled(r: Reply) {
  expect(r.status).toBe(429);
  expect(r.body).toMatchObject({ status: "error", type: "login", weight: 0, error: { code: "rate_limited" } });
  // The window is 15 minutes from the oldest of the 10 failures.
  expect(r.body.error.retry_after_s).toBeGreaterThan(800);
  expect(r.body.error.retry_after_s).toBeLessThanOrEqual(900);
  expect(r.headers.get("retry-after")).toBe(String(r.body.error.retry_after_s));
}

describe("login per target account", () => {
  it("40 wrong passwords from one address: the 11th and later are 429, then the right one too", async () => {
    const a = await registered("guess");
    const ip = { headers: { "cf-connecting-ip": "203.0.113.5" } };
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await post("login", { username_email: a.username, password: WRONG }, ip);
      statuses.push(r.status);
      if (r.status === 429) expectThrottled(r);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(30).fill(429));
    // Whatever the password, and by email as well as by username.
    expectThrottled(await post("login", { username_email: a.email.toUpperCase(), password: a.password }));
    // The account itself still works with its token; another account still logs in.
    expect((await post("check_credentials", { userid: a.userid, token: a.token })).status).toBe(200);
    const b = await registered("other");
    expect((await post("login", { username_email: b.username, password: b.password })).status).toBe(200);
  });

  it("40 wrong passwords from 40 addresses: throttled the same", async () => {
    const a = await registered("spread");
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const ip = { headers: { "cf-connecting-ip": `203.0.113.${100 + i}` } };
      statuses.push((await post("login", { username_email: a.email, password: WRONG }, ip)).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(30).fill(429));
  });

  it("40 concurrent wrong passwords: exactly 10 are tried, 30 refused", async () => {
    const a = await registered("rush");
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(
          "login",
          { username_email: a.username, password: WRONG },
          { headers: { "cf-connecting-ip": `198.18.0.${i}` } },
        ),
      ),
    );
    expect(replies.filter((r) => r.status === 401)).toHaveLength(10);
    const refused = replies.filter((r) => r.status === 429);
    expect(refused).toHaveLength(30);
    for (const r of refused) expectThrottled(r);
  });

  it("a right password before the limit clears the failures", async () => {
    const a = await registered("clears");
    for (let i = 0; i < 9; i++) {
      expect((await post("login", { username_email: a.username, password: WRONG })).status).toBe(401);
    }
    expect((await post("login", { username_email: a.username, password: a.password })).status).toBe(200);
    for (let i = 0; i < 9; i++) {
      expect((await post("login", { username_email: a.username, password: WRONG })).status).toBe(401);
    }
    expect((await post("login", { username_email: a.username, password: a.password })).status).toBe(200);
  });

  it("an unknown name is throttled the same way (no difference to tell it from an account)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await post("login", { username_email: "Nobody Here", password: WRONG })).status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
  });

  it("the 429 of a throttled login is not charged to the address", async () => {
    const a = await registered("free429");
    for (let i = 0; i < 10; i++) await post("login", { username_email: a.username, password: WRONG });
    const ip = { headers: { "cf-connecting-ip": "203.0.113.250" } };
    const first = await post("signup", { email: a.email, password: await derivePassword("x") }, ip); // 409, 1000
    expect(first.headers.get("x-ratelimit-remaining")).toBe("199000");
    const throttled = await post("login", { username_email: a.username, password: WRONG }, ip);
    expect(throttled.status).toBe(429);
    expect(throttled.body.weight).toBe(0);
    const after = await post("signup", { email: a.email, password: await derivePassword("x") }, ip);
    // 199000 - 1000 for this call, plus whatever refilled meanwhile: the 429 cost nothing.
    expect(Number(after.headers.get("x-ratelimit-remaining"))).toBeGreaterThanOrEqual(198000);
  });
});

describe("the auth-throttle module", () => {
  it("admitAttempt, recordFailure, assertNotThrottled, clearFailures", async () => {
    const key = "test:module";
    const policy = { maxFailures: 3, windowS: 60 };
    await assertNotThrottled(env, key, policy);
    expect(await recordFailure(env, key, policy)).toBe(1);
    await admitAttempt(env, key, policy); // counts as the 2nd
    expect(await recordFailure(env, key, policy)).toBe(3);
    await expect(assertNotThrottled(env, key, policy)).rejects.toMatchObject({ code: "rate_limited" });
    await expect(admitAttempt(env, key, policy)).rejects.toMatchObject({ code: "rate_limited" });
    await clearFailures(env, key);
    await assertNotThrottled(env, key, policy);
    // Keys are independent.
    await assertNotThrottled(env, "test:other", policy);
  });
});
