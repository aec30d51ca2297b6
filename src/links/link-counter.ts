// LinkCounter: one Durable Object per entry, named by the entry's id (so a changed code keeps its
// counter and a reused code starts afresh). It is the authority on an entry's click totals:
// - limited links (expiration_count > 0): `admit` lets clicks through one at a time, so exactly
//   expiration_count redirects succeed under any concurrency;
// - unlimited links: `record` adds clicks counted in the background by the redirect's isolates;
// - an alarm flushes the totals to D1 in batches (at most once per FLUSH_DELAY_MS per entry),
//   retrying until D1 takes them, and reports each batch to `clicksLanded`.
// The totals are written to D1 as absolute values (never as increments), so a retried flush cannot
// count twice. See docs/links.md.
import { DurableObject } from "cloudflare:workers";
import { clicksLanded } from "./clicks-landed";

/** How long clicks wait in the Durable Object before their batch is written to D1. */
export const FLUSH_DELAY_MS = 1000;
/** Wait before retrying a flush that failed. */
export const FLUSH_RETRY_MS = 5000;

/** What a click on a limited link gets: through, over its limit (410), or the entry is gone (404). */
export type Admission = "admitted" | "exhausted" | "gone";

export interface Counts {
  count: number;
  countQr: number;
}

interface CounterState {
  entryId: number;
  userid: string;
  /** expiration_count: 0 is unlimited */
  limit: number;
  count: number;
  countQr: number;
  /** totals already written to D1 */
  flushedCount: number;
  flushedCountQr: number;
}

export class LinkCounter extends DurableObject<Cloudflare.Env> {
  private state: CounterState | null = null;
  private alarmSet = false;
  /** flushes run one after another, so a batch is never reported twice (alarm and forget) */
  private flushChain: Promise<void> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.createTable();
      const row = ctx.storage.sql.exec("SELECT * FROM counter WHERE k = 0").toArray()[0];
      if (row) {
        this.state = {
          entryId: Number(row.entry_id),
          userid: String(row.userid),
          limit: Number(row.expiration_count),
          count: Number(row.count),
          countQr: Number(row.count_qr),
          flushedCount: Number(row.flushed_count),
          flushedCountQr: Number(row.flushed_count_qr),
        };
      }
      this.alarmSet = (await ctx.storage.getAlarm()) !== null;
    });
  }

  /** A click on a limited link: admitted and counted, or refused. HEAD asks `peek` instead. */
  async admit(entryId: number, qr: boolean): Promise<Admission> {
    const s = await this.load(entryId);
    if (!s) return "gone";
    // No await between the check and the increment: clicks are admitted one at a time.
    if (s.limit > 0 && s.count + s.countQr >= s.limit) return "exhausted";
    if (qr) s.countQr += 1;
    else s.count += 1;
    this.save(s);
    await this.scheduleFlush();
    return "admitted";
  }

  /** What `admit` would answer, without counting (HEAD). */
  async peek(entryId: number): Promise<Admission> {
    const s = await this.load(entryId);
    if (!s) return "gone";
    return s.limit > 0 && s.count + s.countQr >= s.limit ? "exhausted" : "admitted";
  }

  /** Clicks on an unlimited link, counted in the background by a redirecting isolate. */
  async record(entryId: number, clicks: number, qrClicks: number): Promise<void> {
    const s = await this.load(entryId);
    if (!s) return; // the entry was deleted meanwhile: nobody to count for
    s.count += clicks;
    s.countQr += qrClicks;
    this.save(s);
    await this.scheduleFlush();
  }

  /** The exact totals, or null when no click ever reached this counter (D1 is then exact). */
  async counts(): Promise<Counts | null> {
    return this.state ? { count: this.state.count, countQr: this.state.countQr } : null;
  }

  /** The entry's expiration_count changed (written to D1 first). */
  async setLimit(limit: number): Promise<void> {
    if (!this.state) return; // loaded from D1 at the first click, which already has the new limit
    this.state.limit = limit;
    this.save(this.state);
  }

  /** The entry was deleted: report what is pending, then drop everything. */
  async forget(): Promise<void> {
    try {
      await this.flush();
    } catch (err) {
      console.error("LinkCounter: flush before forget failed:", err instanceof Error ? err.message : "error");
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.state = null;
    this.alarmSet = false;
  }

  override async alarm(): Promise<void> {
    this.alarmSet = false;
    try {
      await this.flush();
    } catch (err) {
      console.error("LinkCounter: flush failed, retrying:", err instanceof Error ? err.message : "error");
      this.alarmSet = true;
      await this.ctx.storage.setAlarm(Date.now() + FLUSH_RETRY_MS);
    }
  }

  private createTable(): void {
    this.ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS counter (
      k INTEGER PRIMARY KEY CHECK (k = 0),
      entry_id INTEGER NOT NULL,
      userid TEXT NOT NULL,
      expiration_count INTEGER NOT NULL,
      count INTEGER NOT NULL,
      count_qr INTEGER NOT NULL,
      flushed_count INTEGER NOT NULL,
      flushed_count_qr INTEGER NOT NULL
    )`);
  }

  /** The state, read from the entry in D1 at the first click (one read in the counter's life). */
  private async load(entryId: number): Promise<CounterState | null> {
    if (this.state) return this.state;
    await this.ctx.blockConcurrencyWhile(async () => {
      if (this.state) return;
      const row = await this.env.DB.prepare(
        "SELECT userid, expiration_count, count, count_qr FROM entries WHERE id = ?1",
      )
        .bind(entryId)
        .first<{ userid: string; expiration_count: number; count: number; count_qr: number }>();
      if (!row) return;
      const s: CounterState = {
        entryId,
        userid: row.userid,
        limit: row.expiration_count,
        count: row.count,
        countQr: row.count_qr,
        flushedCount: row.count,
        flushedCountQr: row.count_qr,
      };
      this.createTable(); // again: `forget` drops everything
      this.save(s);
      this.state = s;
    });
    return this.state;
  }

  private save(s: CounterState): void {
    this.ctx.storage.sql.exec(
      `INSERT INTO counter (k, entry_id, userid, expiration_count, count, count_qr, flushed_count, flushed_count_qr)
       VALUES (0, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (k) DO UPDATE SET expiration_count = excluded.expiration_count, count = excluded.count,
         count_qr = excluded.count_qr, flushed_count = excluded.flushed_count, flushed_count_qr = excluded.flushed_count_qr`,
      s.entryId,
      s.userid,
      s.limit,
      s.count,
      s.countQr,
      s.flushedCount,
      s.flushedCountQr,
    );
  }

  private async scheduleFlush(): Promise<void> {
    if (this.alarmSet) return;
    this.alarmSet = true;
    await this.ctx.storage.setAlarm(Date.now() + FLUSH_DELAY_MS);
  }

  private flush(): Promise<void> {
    const run = this.flushChain.then(() => this.flushOnce());
    this.flushChain = run.catch(() => undefined);
    return run;
  }

  /** Writes the totals to D1 (absolute, idempotent) and reports the batch. */
  private async flushOnce(): Promise<void> {
    const s = this.state;
    if (!s) return;
    const count = s.count;
    const countQr = s.countQr;
    const clicks = count - s.flushedCount;
    const qrClicks = countQr - s.flushedCountQr;
    if (clicks === 0 && qrClicks === 0) return;
    await this.env.DB.prepare("UPDATE entries SET count = max(count, ?1), count_qr = max(count_qr, ?2) WHERE id = ?3")
      .bind(count, countQr, s.entryId)
      .run();
    await clicksLanded(this.env, { entryId: s.entryId, userid: s.userid, clicks, qrClicks });
    // Clicks that arrived during the awaits stay pending for the next alarm (scheduled by them).
    s.flushedCount = count;
    s.flushedCountQr = countQr;
    this.save(s);
  }
}

/** The counter of an entry. */
export function counterFor(env: Cloudflare.Env, entryId: number): DurableObjectStub<LinkCounter> {
  return env.LINK_COUNTER.get(env.LINK_COUNTER.idFromName(String(entryId)));
}
