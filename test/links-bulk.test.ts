// urls in bulk: the entries travel to D1 as JSON chunks (a few statements whatever the count, so a
// call stays far inside D1's 1000 queries per invocation), in order, 1 µs apart.
import { describe, expect, it } from "vitest";
import { jsonChunks } from "../src/links/entry-store";
import { credsOf, ok, registered } from "./helpers/api";

describe("jsonChunks", () => {
  it("splits into JSON arrays under the byte bound, with each chunk's offset", () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ u: "x".repeat(90), i }));
    const chunks = jsonChunks(items, 350);
    expect(chunks.map((ch) => ch.offset)).toEqual([0, 3, 6, 9]);
    for (const ch of chunks) expect(new TextEncoder().encode(ch.json).byteLength).toBeLessThanOrEqual(350);
    expect(chunks.flatMap((ch) => JSON.parse(ch.json))).toEqual(items);
  });

  it("gives an item larger than the bound a chunk of its own", () => {
    const chunks = jsonChunks([{ u: "a" }, { u: "b".repeat(100) }, { u: "c" }], 50);
    expect(chunks.map((ch) => [ch.offset, JSON.parse(ch.json).length])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
  });

  it("is empty for no items", () => expect(jsonChunks([], 100)).toEqual([]));
});

describe("urls with 1000 long URLs (about 8 MB, several chunks)", () => {
  it("creates them all, in order, 1 µs apart, with distinct codes and exact int64 fields", async () => {
    const who = await credsOf(registered("bulk8mb"));
    const urls = Array.from({ length: 1000 }, (_, i) => `https://long.example/${i}/${"p".repeat(8000)}`);
    const tag = -(2n ** 63n);
    const out = await ok("urls", { ...who, urls, tag, expiration_utime: 2n ** 63n - 1n, expiration_count: 7 });
    expect(out.entries).toHaveLength(1000);
    expect(out.entries.map((e: { url: string }) => e.url)).toEqual(urls);
    const utimes = out.entries.map((e: { utime: number }) => e.utime);
    expect(utimes.every((t: number, i: number) => t === utimes[0] + i)).toBe(true);
    expect(new Set(out.entries.map((e: { shorturl: string }) => e.shorturl)).size).toBe(1000);
    for (const e of [out.entries[0], out.entries[999]]) {
      expect(e).toMatchObject({ tag, expiration_utime: 2n ** 63n - 1n, expiration_count: 7, enabled: true });
    }
    const listed = await ok("get_entries", { ...who, count: 2 });
    expect(listed.entries.map((e: { url: string }) => e.url)).toEqual([urls[999], urls[998]]);
  });
});
