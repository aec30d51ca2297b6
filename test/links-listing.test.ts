// get_entries: tag filters on the full 64 bits (bit 63 included), their precedence, paging with
// start/count/order, the weight settled to the entries returned, and the query plans over 10,000
// entries of one user (each served by an index, never a sort).
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../src/db/client";
import { listingQuery, type TagFilter } from "../src/links/listing";
import { credsOf, ok, post, registered, temporary } from "./helpers/api";

const BIT63 = -(2n ** 63n); // 0x8000000000000000 as a signed int64

describe("tag filters", () => {
  let who: { userid: string };
  const byUrl: Record<string, bigint | number> = {
    "https://a.example/": BIT63,
    "https://b.example/": BIT63 | 1n,
    "https://c.example/": 1,
    "https://d.example/": 3,
    "https://e.example/": 0,
  };

  beforeAll(async () => {
    who = await temporary();
    for (const [url, tag] of Object.entries(byUrl)) await ok("url", { ...who, url, tag });
  });

  async function urlsWith(filter: Record<string, unknown>): Promise<string[]> {
    const out = await ok("get_entries", { ...who, count: 10, ...filter });
    return out.entries.map((e: { url: string }) => e.url.slice(8, 9));
  }

  it("keeps bit 63 exact in the output", async () => {
    const out = await ok("get_entries", { ...who, count: 10 });
    expect(out.entries.map((e: { tag: unknown }) => e.tag)).toEqual([0, 3, 1, BIT63 | 1n, BIT63]);
  });

  it("tag: equal", async () => {
    expect(await urlsWith({ tag: BIT63 })).toEqual(["a"]);
    expect(await urlsWith({ tag: BIT63 | 1n })).toEqual(["b"]);
    expect(await urlsWith({ tag: 1 })).toEqual(["c"]);
    expect(await urlsWith({ tag: 0 })).toEqual(["e"]);
  });

  it("tagmask_and: all of the mask's bits", async () => {
    expect(await urlsWith({ tagmask_and: BIT63 | 1n })).toEqual(["b"]);
    expect(await urlsWith({ tagmask_and: BIT63 })).toEqual(["b", "a"]);
    expect(await urlsWith({ tagmask_and: 1 })).toEqual(["d", "c", "b"]);
    expect(await urlsWith({ tagmask_and: 2 })).toEqual(["d"]);
  });

  it("tagmask_or: any of the mask's bits", async () => {
    expect(await urlsWith({ tagmask_or: BIT63 })).toEqual(["b", "a"]);
    expect(await urlsWith({ tagmask_or: BIT63 | 2n })).toEqual(["d", "b", "a"]);
    expect(await urlsWith({ tagmask_or: 4 })).toEqual([]);
  });

  it("precedence: tag, then tagmask_and, then tagmask_or", async () => {
    expect(await urlsWith({ tag: 1, tagmask_and: BIT63, tagmask_or: 2 })).toEqual(["c"]);
    expect(await urlsWith({ tagmask_and: BIT63, tagmask_or: 2 })).toEqual(["b", "a"]);
    // null means absent
    expect(await urlsWith({ tag: null, tagmask_and: null, tagmask_or: 2 })).toEqual(["d"]);
  });

  it("refuses tags outside int64", async () => {
    const r = await post("get_entries", { ...who, tagmask_or: 2n ** 64n });
    expect(r.body.error).toMatchObject({ code: "invalid_input", field: "tagmask_or" });
  });
});

describe("paging", () => {
  it("start, count, order; count 1 to 1000 (default 3); the weight follows the entries returned", async () => {
    const who = await credsOf(registered("paging"));
    const made = (await ok("urls", { ...who, urls: Array.from({ length: 7 }, (_, i) => `https://p.example/${i}`) }))
      .entries;
    const def = await post("get_entries", { ...who });
    expect(def.body.weight).toBe(1300);
    expect(def.body.output.entries.map((e: { url: string }) => e.url)).toEqual([
      "https://p.example/6",
      "https://p.example/5",
      "https://p.example/4",
    ]);
    const page = await post("get_entries", { ...who, start: 5, count: 10 });
    expect(page.body.weight).toBe(1200); // charged 2000, settled to the 2 returned
    expect(page.body.output.entries.map((e: { order: number; id: number }) => [e.order, e.id])).toEqual([
      [5, made[1].id],
      [6, made[0].id],
    ]);
    const past = await post("get_entries", { ...who, start: 100, count: 1000 });
    expect(past.body).toMatchObject({ status: "success", weight: 1000, output: { entries: [] } });
    for (const bad of [{ count: 0 }, { count: 1001 }, { start: -1 }, { count: 2.5 }]) {
      const r = await post("get_entries", { ...who, ...bad });
      expect(r.body.error.code).toBe("invalid_input");
      expect(r.body.error.field).toBe(Object.keys(bad)[0]);
    }
  });
});

describe("10,000 entries of one user", () => {
  let who: { userid: string };

  beforeAll(async () => {
    // Registered: a count-1000 listing weighs 101000, more than a temporary account's bucket holds.
    who = await credsOf(registered("bulk"));
    // Inserted straight into D1 in batches (the API path is tested above); tags cycle through
    // four patterns, bit 63 included.
    const tags = [0n, 1n, BIT63, BIT63 | 6n];
    const base = Date.now() * 1000;
    for (let chunk = 0; chunk < 10; chunk++) {
      const statements = Array.from({ length: 1000 }, (_, j) => {
        const i = chunk * 1000 + j;
        return env.DB.prepare(
          `INSERT INTO entries (userid, host, code, url, create_utime, tag, expiration_utime)
           VALUES (?, 'ww7.io', ?, ?, ?, CAST(? AS INTEGER), 576460752303423487)`,
        ).bind(
          who.userid,
          `bulk${String(i).padStart(6, "0")}`,
          `https://bulk.example/${i}`,
          base + i,
          String(tags[i % 4]),
        );
      });
      await env.DB.batch(statements);
    }
  });

  it("pages through them in order", async () => {
    const deep = await ok("get_entries", { ...who, start: 9990, count: 20 });
    expect(deep.entries).toHaveLength(10);
    expect(deep.entries[0]).toMatchObject({ order: 9990, url: "https://bulk.example/9" });
    expect(deep.entries[9]).toMatchObject({ order: 9999, url: "https://bulk.example/0" });
    const tagged = await ok("get_entries", { ...who, tag: BIT63 | 6n, start: 1, count: 2 });
    expect(tagged.entries.map((e: { url: string; tag: bigint }) => [e.url, e.tag])).toEqual([
      ["https://bulk.example/9995", BIT63 | 6n],
      ["https://bulk.example/9991", BIT63 | 6n],
    ]);
    const ored = await ok("get_entries", { ...who, tagmask_or: BIT63, count: 1000, start: 4000 });
    expect(ored.entries).toHaveLength(1000);
    expect(ored.entries[0].url).toBe("https://bulk.example/1999");
  });

  async function plan(filter: TagFilter): Promise<string[]> {
    const { sql, params } = listingQuery(getDb(env.DB), who.userid, filter, 5000, 100).toSQL();
    const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    return rows.results.map((r) => r.detail);
  }

  it("is served by an index for every filter, with no sort", async () => {
    const plans = {
      none: await plan({ kind: "none" }),
      tag: await plan({ kind: "tag", tag: BIT63 }),
      and: await plan({ kind: "and", mask: BIT63 | 2n }),
      or: await plan({ kind: "or", mask: BIT63 }),
    };
    for (const [name, details] of Object.entries(plans)) {
      expect(details.join(" | "), name).not.toMatch(/TEMP B-TREE|SCAN entries$/);
    }
    expect(plans.none).toEqual(["SEARCH entries USING INDEX entries_user_time (userid=?)"]);
    expect(plans.and).toEqual(["SEARCH entries USING INDEX entries_user_time (userid=?)"]);
    expect(plans.or).toEqual(["SEARCH entries USING INDEX entries_user_time (userid=?)"]);
    expect(plans.tag).toEqual(["SEARCH entries USING INDEX entries_user_tag_time (userid=? AND tag=?)"]);
  });
});
