// UserLimiter: one SQLite-backed Durable Object per account (`idFromName(userid)`), per client IP
// (`ip:<address>`) and per throttled key (`throttle:<key>`). It holds the account's token buckets
// (`api`, `link`) and a list of recent auth failures. A Durable Object runs one request at a time,
// and each method reads and writes `ctx.storage.sql` synchronously before its first await, so
// concurrent calls are serialized and every charge is exact. Bucket arithmetic lives in ./bucket.ts, the failure window in
// ./failure-window.ts; this class only loads, applies and stores.
import { DurableObject } from "cloudflare:workers";
import {
  type BucketLimits,
  type BucketState,
  credit,
  debit,
  fullBucket,
  refill,
  relimit,
  secondsToReach,
  take,
} from "./bucket";
import { type FailurePolicy, inWindow, retryAfterS, throttledUntilUs } from "./failure-window";

export type BucketName = "api" | "link";

/** A bucket as get_account_info and the X-RateLimit headers show it. */
export interface BucketView {
  capacity: number;
  refillPerSecond: number;
  /** whole tokens at `atUs` (the link bucket may be below 0: an overdraft of clicks) */
  balance: number;
  /** the limiter's clock when `balance` was read, Unix µs */
  atUs: number;
  /** whole seconds until the bucket is full again */
  fullInS: number;
}

export type ChargeOutcome =
  | {
      ok: true;
      /** the api bucket before this charge (refilled to atUs) */
      apiBefore: BucketView;
      /** the api bucket after it */
      api: BucketView;
      /** the link bucket at the same time, when its limits were given */
      link: BucketView | null;
    }
  | { ok: false; retryAfterS: number; api: BucketView };

export type AttemptOutcome = { ok: true } | { ok: false; retryAfterS: number };

interface BucketRow extends Record<string, SqlStorageValue> {
  balance: number;
  updated_at_us: number;
  capacity: number;
  refill_per_second: number;
}

/** The furthest a cleanup alarm is set; it comes back then if the limiter is not done. */
const MAX_CLEANUP_DELAY_MS = 30 * 24 * 3600 * 1000;

export class UserLimiter extends DurableObject<Cloudflare.Env> {
  private lastUs = 0;
  /** false once `alarm` deleted all storage: the tables are made again before the next use */
  private tablesReady = false;
  /** whether this instance knows a cleanup alarm is set */
  private alarmSet = false;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.ensureTables();
    });
  }

  private ensureTables(): void {
    if (this.tablesReady) return;
    this.ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS buckets (
      name TEXT PRIMARY KEY,
      capacity INTEGER NOT NULL,
      refill_per_second INTEGER NOT NULL,
      balance INTEGER NOT NULL,
      updated_at_us INTEGER NOT NULL
    )`);
    // A failure counts from at_us until it leaves its window at expires_at_us.
    this.ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS failures (at_us INTEGER NOT NULL, expires_at_us INTEGER NOT NULL)",
    );
    this.tablesReady = true;
  }

  /**
   * Schedules the cleanup (`alarm`) after a write, unless this instance already did: a full bucket
   * and an absent one behave the same, as do failures past their window and none, so a limiter
   * whose state has all gone back to that is deleted, and the objects of one-off client IPs and
   * guessed names do not pile up. The alarm reschedules itself while something is left.
   */
  private async scheduleCleanup(): Promise<void> {
    if (this.alarmSet) return;
    this.alarmSet = true;
    await this.ctx.storage.setAlarm(this.cleanupAtMs(this.nowUs()) ?? Date.now());
  }

  /** When every bucket is full again and every failure has left its window (ms), or null: now. */
  private cleanupAtMs(nowUs: number): number | null {
    let untilUs = 0;
    const rows = this.ctx.storage.sql
      .exec<BucketRow>("SELECT balance, updated_at_us, capacity, refill_per_second FROM buckets")
      .toArray();
    for (const r of rows) {
      const limits = { capacity: r.capacity, refillPerSecond: r.refill_per_second };
      const state = { balance: r.balance, updatedAtUs: r.updated_at_us };
      const waitS = secondsToReach(limits, state, limits.capacity, nowUs);
      untilUs = Math.max(untilUs, nowUs + waitS * 1_000_000);
    }
    const last = this.ctx.storage.sql
      .exec<{ until_us: number | null }>("SELECT MAX(expires_at_us) AS until_us FROM failures")
      .one();
    if (last.until_us !== null) untilUs = Math.max(untilUs, last.until_us + 1);
    if (untilUs <= nowUs) return null;
    // A bucket that never refills (a custom rate of 0) is never full again: look again in a while.
    return Math.min(Math.ceil(untilUs / 1000), Math.floor(nowUs / 1000) + MAX_CLEANUP_DELAY_MS);
  }

  /** The cleanup: deletes everything when nothing is left to remember, else comes back later. */
  override async alarm(): Promise<void> {
    this.alarmSet = false;
    this.ensureTables();
    const atMs = this.cleanupAtMs(this.nowUs());
    if (atMs === null) {
      this.tablesReady = false;
      await this.ctx.storage.deleteAll();
      return;
    }
    this.alarmSet = true;
    await this.ctx.storage.setAlarm(atMs);
  }

  /** The limiter's clock, Unix µs, never going backwards. */
  private nowUs(): number {
    this.lastUs = Math.max(this.lastUs, Date.now() * 1000);
    return this.lastUs;
  }

  private row(name: BucketName): BucketRow | null {
    const rows = this.ctx.storage.sql
      .exec<BucketRow>("SELECT balance, updated_at_us, capacity, refill_per_second FROM buckets WHERE name = ?", name)
      .toArray();
    return rows[0] ?? null;
  }

  /** The stored state under the given limits; a bucket seen for the first time starts full. */
  private load(name: BucketName, limits: BucketLimits, nowUs: number): BucketState {
    const r = this.row(name);
    if (!r) return fullBucket(limits, nowUs);
    return relimit(limits, { balance: r.balance, updatedAtUs: r.updated_at_us });
  }

  private save(name: BucketName, limits: BucketLimits, state: BucketState): void {
    this.ctx.storage.sql.exec(
      `INSERT INTO buckets (name, capacity, refill_per_second, balance, updated_at_us) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET capacity = excluded.capacity, refill_per_second = excluded.refill_per_second,
         balance = excluded.balance, updated_at_us = excluded.updated_at_us`,
      name,
      limits.capacity,
      limits.refillPerSecond,
      state.balance,
      state.updatedAtUs,
    );
  }

  private view(limits: BucketLimits, state: BucketState, nowUs: number): BucketView {
    const now = refill(limits, state, nowUs);
    return {
      capacity: limits.capacity,
      refillPerSecond: limits.refillPerSecond,
      balance: now.balance,
      atUs: nowUs,
      fullInS: secondsToReach(limits, now, limits.capacity, nowUs),
    };
  }

  /**
   * Charges `weight` to the api bucket if it holds that much; otherwise charges nothing and says
   * when it would fit. A weight of 0 only reads the bucket. With `limits.link`, the link bucket is
   * read too (and its limits recorded, for the link gate).
   */
  async charge(limits: { api: BucketLimits; link?: BucketLimits }, weight: number): Promise<ChargeOutcome> {
    this.ensureTables();
    const nowUs = this.nowUs();
    const state = this.load("api", limits.api, nowUs);
    const result = take(limits.api, state, weight, nowUs);
    const before = this.view(
      limits.api,
      { balance: result.balanceBefore, updatedAtUs: result.state.updatedAtUs },
      nowUs,
    );
    if (!result.ok) return { ok: false, retryAfterS: result.retryAfterS, api: before };
    // A read (weight 0) of a bucket never used stores nothing: it is full either way.
    const stores = weight > 0 || this.row("api") !== null;
    if (stores) this.save("api", limits.api, result.state);
    let link: BucketView | null = null;
    if (limits.link) {
      const r = this.row("link");
      const linkState = this.load("link", limits.link, nowUs);
      // Record the link limits (read by linkStatus) when they are new or changed.
      if (
        stores &&
        (!r || r.capacity !== limits.link.capacity || r.refill_per_second !== limits.link.refillPerSecond)
      ) {
        this.save("link", limits.link, linkState);
      }
      link = this.view(limits.link, linkState, nowUs);
    }
    // Every read and write above is synchronous: the charge is atomic; only the alarm is awaited.
    if (stores) await this.scheduleCleanup();
    return { ok: true, apiBefore: before, api: this.view(limits.api, result.state, nowUs), link };
  }

  /** Gives back `weight` to the api bucket (the unused part of a charge), never beyond its capacity. */
  async refund(limits: { api: BucketLimits }, weight: number): Promise<BucketView> {
    this.ensureTables();
    const nowUs = this.nowUs();
    const state = credit(limits.api, this.load("api", limits.api, nowUs), weight, nowUs);
    this.save("api", limits.api, state);
    await this.scheduleCleanup();
    return this.view(limits.api, state, nowUs);
  }

  /**
   * Charges clicks that have already happened to the link bucket, whatever its balance (down to
   * -capacity: an overdraft is paid back from the refill before the links work again).
   */
  async chargeLink(limits: BucketLimits, weight: number): Promise<BucketView> {
    this.ensureTables();
    const nowUs = this.nowUs();
    const state = debit(limits, this.load("link", limits, nowUs), weight, nowUs);
    this.save("link", limits, state);
    await this.scheduleCleanup();
    return this.view(limits, state, nowUs);
  }

  /** The link bucket under the limits last recorded for it, or null when it was never used. */
  linkStatus(): BucketView | null {
    this.ensureTables();
    const r = this.row("link");
    if (!r) return null;
    const limits = { capacity: r.capacity, refillPerSecond: r.refill_per_second };
    return this.view(limits, { balance: r.balance, updatedAtUs: r.updated_at_us }, this.nowUs());
  }

  private failureTimes(policy: FailurePolicy, nowUs: number): number[] {
    const sinceUs = nowUs - policy.windowS * 1_000_000;
    this.ctx.storage.sql.exec("DELETE FROM failures WHERE at_us <= ?", sinceUs);
    const rows = this.ctx.storage.sql.exec<{ at_us: number }>("SELECT at_us FROM failures ORDER BY at_us").toArray();
    return inWindow(
      rows.map((r) => r.at_us),
      policy,
      nowUs,
    );
  }

  /**
   * Admits an attempt unless the key is throttled. An admitted attempt is recorded as a failure
   * at once (so concurrent guesses cannot all pass the check before any failure lands); the caller
   * clears the failures when the attempt succeeds.
   */
  async admitAttempt(policy: FailurePolicy): Promise<AttemptOutcome> {
    this.ensureTables();
    const nowUs = this.nowUs();
    const until = throttledUntilUs(this.failureTimes(policy, nowUs), policy, nowUs);
    if (until > 0) return { ok: false, retryAfterS: retryAfterS(until, nowUs) };
    this.insertFailure(policy, nowUs);
    await this.scheduleCleanup();
    return { ok: true };
  }

  private insertFailure(policy: FailurePolicy, nowUs: number): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO failures (at_us, expires_at_us) VALUES (?, ?)",
      nowUs,
      nowUs + policy.windowS * 1_000_000,
    );
  }

  /** Whether the key is throttled now, without recording anything. */
  checkAttempt(policy: FailurePolicy): AttemptOutcome {
    this.ensureTables();
    const nowUs = this.nowUs();
    const until = throttledUntilUs(this.failureTimes(policy, nowUs), policy, nowUs);
    return until > 0 ? { ok: false, retryAfterS: retryAfterS(until, nowUs) } : { ok: true };
  }

  /** Records one failure. */
  async recordFailure(policy: FailurePolicy): Promise<number> {
    this.ensureTables();
    const nowUs = this.nowUs();
    this.insertFailure(policy, nowUs);
    const count = this.failureTimes(policy, nowUs).length;
    await this.scheduleCleanup();
    return count;
  }

  /** Forgets every failure (the attempt succeeded). */
  clearFailures(): void {
    this.ensureTables();
    this.ctx.storage.sql.exec("DELETE FROM failures");
  }
}
