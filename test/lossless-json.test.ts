// int64 exactness: JSON in, D1, JSON out.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { parseLossless, stringifyLossless } from "../src/api/lossless-json";
import { getDb } from "../src/db/client";
import { int64In, int64Out } from "../src/db/int64";
import { entries } from "../src/db/schema";

const EDGES = ["576460752303423487", "9223372036854775807", "-9223372036854775808", "9007199254740993", "0", "-1"];

describe("lossless JSON", () => {
  it.each(EDGES)("keeps %s exact through parse and stringify", (digits) => {
    const text = `{"tag":${digits},"nested":[${digits}]}`;
    const parsed = parseLossless(text) as { tag: unknown };
    expect(stringifyLossless(parsed)).toBe(text);
  });

  it("gives BigInt only past 2^53 and leaves other numbers alone", () => {
    expect(parseLossless("[9007199254740991, 9007199254740992, 1.5, 1e300, -0]")).toEqual([
      9007199254740991,
      9007199254740992n,
      1.5,
      1e300,
      -0,
    ]);
  });
});

describe("int64 in D1", () => {
  it.each(EDGES)("stores and reads %s exactly", async (digits) => {
    const db = getDb(env.DB);
    const value = BigInt(digits);
    const [row] = await db
      .insert(entries)
      .values({
        userid: "u",
        host: "ww7.io",
        code: `c${digits}`,
        url: "https://x.test/",
        createUtime: 1,
        tag: int64In(value),
        expirationUtime: int64In(value),
      })
      .returning({ id: entries.id });
    const back = await db
      .select({ tag: int64Out(entries.tag), exp: int64Out(entries.expirationUtime) })
      .from(entries)
      .where(eq(entries.id, row?.id ?? -1))
      .get();
    expect(back).toEqual({ tag: value, exp: value });
  });
});
