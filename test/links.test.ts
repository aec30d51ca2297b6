// Short links: the reference's examples sent as its Python sends them, then the rules of
// CONTRACT.md "Short links" and the redirect, through the public API and the worker's fetch.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { credsOf, fetchWorker, ok, post, registered, temporary } from "./helpers/api";

const REF_PASSWORD = "ffbbafe935a9c961cc5ea6bbdb8d994e3eb2c84f8a48f998fcef14feb9cc1bde";
const DEFAULT_EXPIRATION = 576460752303423487n;

type Account = { userid: string; token?: string };

/** The reference's login step: username "Test User", password "Trial151!" derived client-side. */
async function loginTestUser(): Promise<{ userid: string; token: string }> {
  const r = await post("login", { username_email: "Test User", password: REF_PASSWORD });
  expect(r.status).toBe(200);
  return { userid: r.body.output.userid, token: r.body.output.token };
}

async function shorten(who: Account, input: Record<string, unknown> = {}) {
  return (await ok("url", { ...who, url: "https://example.com/", ...input })).entry;
}

const codeOf = (shorturl: string) => new URL(shorturl).pathname.slice(1);

function click(shorturl: string, init: RequestInit = {}, query = "") {
  return fetchWorker(`${shorturl}${query}`, { redirect: "manual", ...init });
}

/** Polls get_entry until `pred` holds (background counts land well within a second). */
// biome-ignore lint/suspicious/noExplicitAny: entries are checked field by field
async function entryWhen(who: Account, shorturl: string, pred: (e: any) => boolean) {
  let entry = (await ok("get_entry", { ...who, shorturl })).entry;
  for (let i = 0; i < 40 && !pred(entry); i++) {
    await new Promise((r) => setTimeout(r, 50));
    entry = (await ok("get_entry", { ...who, shorturl })).entry;
  }
  return entry;
}

beforeAll(async () => {
  await ok("signup", { email: "test.user@nowhere.com", username: "Test User", password: REF_PASSWORD });
});

describe("reference examples, as the Python sends them", () => {
  it("url with tag 0x8008", async () => {
    const login = await loginTestUser();
    const r = await post("url", { userid: login.userid, token: login.token, url: "https://examle.com/", tag: 0x8008 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "success", type: "url", weight: 1000 });
    const entry = r.body.output.entry;
    expect(Object.keys(entry)).toEqual([
      "count",
      "count_qr",
      "enabled",
      "encryption",
      "expiration_count",
      "expiration_utime",
      "filekey",
      "filesize",
      "filetype",
      "id",
      "order",
      "shorturl",
      "signature",
      "tag",
      "url",
      "userid",
      "utime",
    ]);
    expect(entry).toMatchObject({
      count: 0,
      count_qr: 0,
      enabled: true,
      encryption: 0,
      expiration_count: 0,
      expiration_utime: DEFAULT_EXPIRATION,
      filekey: "",
      filesize: -1,
      filetype: "",
      order: 0,
      signature: "",
      tag: 32776,
      url: "https://examle.com/",
      userid: login.userid,
    });
    expect(entry.shorturl).toMatch(/^https:\/\/ww7\.io\/[A-Za-z0-9]{6}$/);
    expect(entry.utime).toBe(r.body.utime);
  });

  it("urls: five URLs in order, 1 µs apart, weight 1500", async () => {
    const login = await loginTestUser();
    const list = [
      "https://en.wikipedia.org",
      "https://youtube.com",
      "https://amazon.com",
      "https://facebook.com",
      "https://twitter.com",
    ];
    const r = await post("urls", { userid: login.userid, token: login.token, tag: 0x8008, urls: list });
    expect(r.body).toMatchObject({ status: "success", type: "urls", weight: 1500 });
    const got = r.body.output.entries;
    expect(got.map((e: { url: string }) => e.url)).toEqual(list);
    for (const [i, e] of got.entries()) {
      expect(e).toMatchObject({ tag: 32776, order: 0, enabled: true, filesize: -1, count: 0 });
      expect(e.utime).toBe(got[0].utime + i);
    }
    expect(new Set(got.map((e: { shorturl: string }) => e.shorturl)).size).toBe(5);
  });

  it("change_shorturl to https://ww7.io/fanciest", async () => {
    const login = await loginTestUser();
    const urlResponse = await post("url", { ...login, url: "https://www.example.com/" });
    const r = await post("change_shorturl", {
      ...login,
      shorturl_old: urlResponse.body.output.entry.shorturl,
      shorturl_new: "https://ww7.io/fanciest",
    });
    expect(r.body).toMatchObject({ output: {}, status: "success", type: "change_shorturl", weight: 1000 });
    const moved = await ok("get_entry", { ...login, shorturl: "https://ww7.io/fanciest" });
    expect(moved.entry.id).toBe(urlResponse.body.output.entry.id);
    const old = await post("get_entry", { ...login, shorturl: urlResponse.body.output.entry.shorturl });
    expect(old.status).toBe(404);
  });

  it("set_enabled false", async () => {
    const login = await loginTestUser();
    const urlResponse = await post("url", { ...login, url: "https://www.example.com" });
    const shorturl = urlResponse.body.output.entry.shorturl;
    const r = await post("set_enabled", { ...login, shorturl, enabled: false });
    expect(r.body).toMatchObject({ output: {}, status: "success", type: "set_enabled", weight: 1000 });
    expect((await ok("get_entry", { ...login, shorturl })).entry.enabled).toBe(false);
  });

  it("set_tag 0x123456789a", async () => {
    const login = await loginTestUser();
    const urlResponse = await post("url", { ...login, url: "https://www.example.com" });
    const shorturl = urlResponse.body.output.entry.shorturl;
    const r = await post("set_tag", { ...login, shorturl, tag: 0x123456789a });
    expect(r.body).toMatchObject({ output: {}, status: "success", type: "set_tag", weight: 1000 });
    expect((await ok("get_entry", { ...login, shorturl })).entry.tag).toBe(0x123456789a);
  });

  it("set_expiration_count 100", async () => {
    const login = await loginTestUser();
    const urlResponse = await post("url", { ...login, url: "https://www.example.com" });
    const shorturl = urlResponse.body.output.entry.shorturl;
    const r = await post("set_expiration_count", { ...login, shorturl, expiration_count: 100 });
    expect(r.body).toMatchObject({ output: {}, status: "success", type: "set_expiration_count", weight: 1000 });
    expect((await ok("get_entry", { ...login, shorturl })).entry.expiration_count).toBe(100);
  });

  it("delete", async () => {
    const login = await loginTestUser();
    const urlResponse = await post("url", { ...login, url: "https://www.example.com" });
    const shorturl = urlResponse.body.output.entry.shorturl;
    const r = await post("delete", { ...login, shorturl });
    expect(r.body).toMatchObject({ output: {}, status: "success", type: "delete", weight: 1000 });
    expect((await post("get_entry", { ...login, shorturl })).status).toBe(404);
    expect((await click(shorturl)).status).toBe(404);
  });

  it("get_entry", async () => {
    const login = await loginTestUser();
    const urlResponse = await post("url", { ...login, url: "https://www.example.com/" });
    const r = await post("get_entry", { ...login, shorturl: urlResponse.body.output.entry.shorturl });
    expect(r.body).toMatchObject({ status: "success", type: "get_entry", weight: 1000 });
    expect(r.body.output.entry).toEqual(urlResponse.body.output.entry);
  });

  it("get_entries with count 2, start 1 and a qr dict (qr itself is another module's)", async () => {
    const login = await loginTestUser();
    const r = await post("get_entries", {
      ...login,
      count: 2,
      start: 1,
      qr: { format: "png", bg: "#ffffff00", fg: "#4444aa", level: "M", border: 1 },
    });
    expect(r.body).toMatchObject({ status: "success", type: "get_entries", weight: 1200 });
    const got = r.body.output.entries;
    expect(got.map((e: { order: number }) => e.order)).toEqual([1, 2]);
    expect(got[0].utime).toBeGreaterThanOrEqual(got[1].utime);
  });

  it("multi: login broadcast into get_entries", async () => {
    const r = await post("multi", {
      call_queries: [
        {
          type: "login",
          broadcast: true,
          input: { username_email: "Test User", password: REF_PASSWORD },
        },
        { type: "get_entries", input: { count: 2, start: 1, qr: false } },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "success", type: "multi", weight: 2200 });
    const [login, list] = r.body.output.call_responses;
    expect(login).toMatchObject({ status: "success", type: "login", weight: 1000 });
    expect(list).toMatchObject({ status: "success", type: "get_entries", weight: 1200 });
    expect(list.output.entries.map((e: { order: number }) => e.order)).toEqual([1, 2]);
    expect(list.output.entries[0].userid).toBe(login.output.userid);
  });
});

describe("url", () => {
  it("accepts only absolute http(s) URLs of at most 8192 characters", async () => {
    const who = await temporary();
    const good = ["https://example.com", "http://example.com/a?b=c#d", `https://example.com/${"a".repeat(8172)}`];
    for (const u of good) expect((await post("url", { ...who, url: u })).status, u).toBe(200);
    const bad = [
      "javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "/relative/path",
      "relative",
      "//example.com/protocol-relative",
      "example.com",
      "ftp://example.com/file",
      "mailto:a@example.com",
      "https://",
      "https://exa mple.com/",
      "https://example.com/\nLocation: evil",
      `https://example.com/${"a".repeat(8173)}`,
      "",
    ];
    for (const u of bad) {
      const r = await post("url", { ...who, url: u });
      expect(r.status, u).toBe(400);
      expect(r.body.error, u).toMatchObject({ code: "invalid_input", field: "url" });
    }
    const r = await post("url", { ...who, url: 42 });
    expect(r.body.error).toMatchObject({ code: "invalid_input", field: "url" });
    const missing = await post("url", { ...who });
    expect(missing.body.error).toMatchObject({ code: "invalid_input", field: "url" });
  });

  it("takes a free requested code; replaces its own; 409 for another user's", async () => {
    const a = await registered("a");
    const b = await registered("b");
    const who = { userid: a.userid, token: a.token };
    const first = await shorten(who, { code: "MyCode123", tag: 5, expiration_count: 7 });
    expect(first.shorturl).toBe("https://ww7.io/MyCode123");
    const replaced = await shorten(who, { code: "MyCode123", url: "https://example.org/new" });
    expect(replaced).toMatchObject({
      id: first.id,
      url: "https://example.org/new",
      tag: 5,
      expiration_count: 7,
      utime: first.utime,
      shorturl: first.shorturl,
    });
    const theirs = await post("url", {
      userid: b.userid,
      token: b.token,
      url: "https://x.example/",
      code: "MyCode123",
    });
    expect(theirs.status).toBe(409);
    expect(theirs.body.error.code).toBe("conflict");
    const viaShorturl = await post("url", {
      userid: b.userid,
      token: b.token,
      url: "https://x.example/",
      host: "nope.example",
      code: "whatever1",
      shorturl: "https://ww7.io/MyCode123",
    });
    expect(viaShorturl.status).toBe(409);
  });

  it("checks host, code and shorturl", async () => {
    const who = await temporary();
    const cases: [Record<string, unknown>, string][] = [
      [{ host: "evil.example" }, "host"],
      [{ code: "abc" }, "code"],
      [{ code: "abc-def-ghi" }, "code"],
      [{ code: "a".repeat(17) }, "code"],
      [{ shorturl: "https://evil.example/abcdef" }, "shorturl"],
      [{ shorturl: "not a url" }, "shorturl"],
      [{ expiration_count: -1 }, "expiration_count"],
      [{ tag: 2n ** 63n }, "tag"],
      [{ expiration_utime: "soon" }, "expiration_utime"],
    ];
    for (const [input, field] of cases) {
      const r = await post("url", { ...who, url: "https://example.com/", ...input });
      expect(
        r.body.error,
        JSON.stringify(input, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
      ).toMatchObject({
        code: "invalid_input",
        field,
      });
    }
    const ok16 = await shorten(who, { code: "A".repeat(16) });
    expect(ok16.shorturl).toBe(`https://ww7.io/${"A".repeat(16)}`);
  });

  it("keeps int64 fields exact and accepts any expiration_utime", async () => {
    const who = await temporary();
    const e = await shorten(who, { tag: -(2n ** 63n), expiration_utime: 2n ** 63n - 1n });
    expect(e.tag).toBe(-(2n ** 63n));
    expect(e.expiration_utime).toBe(2n ** 63n - 1n);
    const past = await shorten(who, { expiration_utime: 1 });
    expect(past.expiration_utime).toBe(1);
    expect((await click(past.shorturl)).status).toBe(410);
  });

  it("urls takes 1 to 1000 URLs and names the bad one", async () => {
    // Registered: 1000 URLs weigh 101000, more than a temporary account's bucket holds.
    const who = await credsOf(registered("urls"));
    expect((await post("urls", { ...who, urls: [] })).body.error).toMatchObject({ field: "urls" });
    const many = Array.from({ length: 1001 }, (_, i) => `https://example.com/${i}`);
    expect((await post("urls", { ...who, urls: many })).body.error).toMatchObject({ field: "urls" });
    const bad = await post("urls", { ...who, urls: ["https://ok.example/", "javascript:alert(1)"] });
    expect(bad.body.error).toMatchObject({ code: "invalid_input", field: "urls[1]" });
    const thousand = await post("urls", { ...who, urls: many.slice(0, 1000), expiration_count: 3 });
    expect(thousand.body.weight).toBe(101000);
    const got = thousand.body.output.entries;
    expect(got).toHaveLength(1000);
    expect(got[999].url).toBe("https://example.com/999");
    expect(got[999].utime - got[0].utime).toBe(999);
    expect(got[500].expiration_count).toBe(3);
    // The next call's utime comes after the batch.
    const next = await shorten(who);
    expect(next.utime).toBeGreaterThan(got[999].utime);
  });
});

describe("another user's entries", () => {
  it("answer 404 to every call, as if they did not exist", async () => {
    const a = await registered("own");
    const b = await registered("other");
    const e = await shorten({ userid: a.userid, token: a.token });
    const them = { userid: b.userid, token: b.token, shorturl: e.shorturl };
    for (const [type, extra] of [
      ["get_entry", {}],
      ["set_enabled", { enabled: false }],
      ["set_tag", { tag: 1 }],
      ["set_expiration_count", { expiration_count: 1 }],
      ["delete", {}],
    ] as const) {
      const r = await post(type, { ...them, ...extra });
      expect(r.status, type).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
    const change = await post("change_shorturl", {
      userid: b.userid,
      token: b.token,
      shorturl_old: e.shorturl,
      shorturl_new: "https://ww7.io/stolenOne",
    });
    expect(change.status).toBe(404);
    expect((await click(e.shorturl)).status).toBe(302);
  });

  it("change_shorturl needs a free short URL on a configured host", async () => {
    const a = await temporary();
    const b = await temporary();
    const mine = await shorten(a);
    const theirs = await shorten(b, { code: "TakenCode" });
    const taken = await post("change_shorturl", { ...a, shorturl_old: mine.shorturl, shorturl_new: theirs.shorturl });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: "conflict", field: "shorturl_new" });
    const badHost = await post("change_shorturl", {
      ...a,
      shorturl_old: mine.shorturl,
      shorturl_new: "https://elsewhere.example/abcdefg",
    });
    expect(badHost.body.error).toMatchObject({ code: "invalid_input", field: "shorturl_new" });
    // After a change, the old code is free again and the new one redirects.
    await ok("change_shorturl", { ...a, shorturl_old: mine.shorturl, shorturl_new: "https://ww7.io/MovedHere" });
    expect((await click(mine.shorturl)).status).toBe(404);
    expect((await click("https://ww7.io/MovedHere")).headers.get("location")).toBe("https://example.com/");
    const reuse = await shorten(b, { code: codeOf(mine.shorturl) });
    expect(reuse.shorturl).toBe(mine.shorturl);
  });
});

describe("the redirect", () => {
  it("302s to the target with Cache-Control private, no-store", async () => {
    const who = await temporary();
    const e = await shorten(who, { url: "https://example.com/a%20path?x=ü" });
    const r = await click(e.shorturl);
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe("https://example.com/a%20path?x=%C3%BC");
    expect(r.headers.get("cache-control")).toBe("private, no-store");
  });

  it("resolves against the default host when the request's host is not a short host", async () => {
    const who = await temporary();
    const e = await shorten(who);
    const r = await fetchWorker(`http://127.0.0.1:8787/${codeOf(e.shorturl)}`, { redirect: "manual" });
    expect(r.status).toBe(302);
  });

  it("404 for unknown, malformed and disabled; 410 expired; small HTML pages", async () => {
    const who = await temporary();
    for (const path of ["/Unknown99", "/abc", "/has-dash1"]) {
      const r = await fetchWorker(`https://ww7.io${path}`);
      expect(r.status, path).toBe(404);
      expect(r.headers.get("content-type")).toContain("text/html");
      expect(await r.text()).toContain("Link not found");
    }
    const e = await shorten(who);
    expect((await click(e.shorturl)).status).toBe(302);
    await ok("set_enabled", { ...who, shorturl: e.shorturl, enabled: false });
    expect((await click(e.shorturl)).status).toBe(404);
    await ok("set_enabled", { ...who, shorturl: e.shorturl, enabled: 1 });
    expect((await click(e.shorturl)).status).toBe(302);
    const expired = await shorten(who, { expiration_utime: Date.now() * 1000 - 1 });
    const r = await click(expired.shorturl);
    expect(r.status).toBe(410);
    expect(await r.text()).toContain("expired");
  });

  it("HEAD answers the same without counting; ?qr counts in count_qr", async () => {
    const who = await temporary();
    const e = await shorten(who);
    const head = await click(e.shorturl, { method: "HEAD" });
    expect(head.status).toBe(302);
    expect(head.headers.get("location")).toBe("https://example.com/");
    await click(e.shorturl);
    await click(e.shorturl, {}, "?qr");
    await click(e.shorturl, {}, "?qr");
    const got = await entryWhen(who, e.shorturl, (x) => x.count === 1 && x.count_qr === 2);
    expect([got.count, got.count_qr]).toEqual([1, 2]);
    await click(e.shorturl, { method: "HEAD" }, "?qr");
    const after = await ok("get_entry", { ...who, shorturl: e.shorturl });
    expect([after.entry.count, after.entry.count_qr]).toEqual([1, 2]);

    // Limited links too: HEAD neither counts nor uses up the limit.
    const limited = await shorten(who, { expiration_count: 1 });
    expect((await click(limited.shorturl, { method: "HEAD" })).status).toBe(302);
    expect((await click(limited.shorturl, {}, "?qr")).status).toBe(302);
    expect((await click(limited.shorturl, { method: "HEAD" })).status).toBe(410);
    expect((await click(limited.shorturl)).status).toBe(410);
    const l = await ok("get_entry", { ...who, shorturl: limited.shorturl });
    expect([l.entry.count, l.entry.count_qr]).toEqual([0, 1]);
  });

  it("set_expiration_count below the clicks made expires the link; raising it revives it", async () => {
    const who = await temporary();
    const e = await shorten(who, { expiration_count: 10 });
    for (let i = 0; i < 3; i++) expect((await click(e.shorturl)).status).toBe(302);
    await ok("set_expiration_count", { ...who, shorturl: e.shorturl, expiration_count: 2 });
    expect((await click(e.shorturl)).status).toBe(410);
    await ok("set_expiration_count", { ...who, shorturl: e.shorturl, expiration_count: 4 });
    expect((await click(e.shorturl)).status).toBe(302);
    expect((await click(e.shorturl)).status).toBe(410);
    // An unlimited link made limited below its clicks.
    const u = await shorten(who);
    for (let i = 0; i < 3; i++) await click(u.shorturl);
    await entryWhen(who, u.shorturl, (x) => x.count === 3);
    await ok("set_expiration_count", { ...who, shorturl: u.shorturl, expiration_count: 3 });
    expect((await click(u.shorturl)).status).toBe(410);
    // Replacing through url with a new limit reaches the counter too.
    await ok("url", { ...who, url: "https://example.com/", shorturl: u.shorturl, expiration_count: 5 });
    expect((await click(u.shorturl)).status).toBe(302);
    expect((await ok("get_entry", { ...who, shorturl: u.shorturl })).entry.count).toBe(4);
  });

  it("a changed code keeps its counter; a deleted code reused starts afresh", async () => {
    const who = await temporary();
    const e = await shorten(who, { code: "KeepCount1", expiration_count: 2 });
    expect((await click(e.shorturl)).status).toBe(302);
    await ok("change_shorturl", { ...who, shorturl_old: e.shorturl, shorturl_new: "https://ww7.io/KeepCount2" });
    expect((await click("https://ww7.io/KeepCount2")).status).toBe(302);
    expect((await click("https://ww7.io/KeepCount2")).status).toBe(410);
    await ok("delete", { ...who, shorturl: "https://ww7.io/KeepCount2" });
    const again = await shorten(who, { code: "KeepCount2", expiration_count: 2 });
    expect(again.count).toBe(0);
    expect((await click(again.shorturl)).status).toBe(302);
  });

  it("deleting a URL entry leaves R2 alone; a URL replacing a file deletes its bytes", async () => {
    const who = await temporary();
    const e = await shorten(who, { code: "FileEntry1" });
    // Make it a file entry directly (the file calls belong to another module).
    const key = `storage/${who.userid}/${"k".repeat(32)}/report.pdf`;
    await env.FILES.put(key, "bytes");
    await env.DB.prepare("UPDATE entries SET filekey = ?, url = 'report.pdf', filesize = 5 WHERE id = ?")
      .bind("k".repeat(32), e.id)
      .run();
    await ok("url", { ...who, code: "FileEntry1", url: "https://example.com/instead" });
    expect(await env.FILES.head(key)).toBeNull();
    const now = await ok("get_entry", { ...who, shorturl: e.shorturl });
    expect(now.entry).toMatchObject({ filekey: "", filesize: -1, url: "https://example.com/instead", id: e.id });
  });
});
