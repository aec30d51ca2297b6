// The pages load and run under their Content-Security-Policy in Chromium, fit a phone screen, and
// the download page refuses a wrong password by itself (no API call, nothing downloaded).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ORIGIN, openBrowser } from "./harness.mjs";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/python-encrypted-file.json", import.meta.url), "utf8"));

const SOME_SIGNATURE = "8d0734a61bc0cc213c062f3a95a01c751a4fe5f2f99e55285e24bcb459b10441a5d8aa012338edea2978b467";

test("the home page loads its script and style from the worker and runs under its CSP", async () => {
  const b = await openBrowser();
  try {
    const requests = [];
    b.page.on("request", (r) => requests.push(r.url()));
    const res = await b.page.goto(`${ORIGIN}/`);
    assert.equal(res.status(), 200);
    assert.match(res.headers()["content-security-policy"], /script-src 'self'/);
    await b.page.waitForSelector("html[data-ready=home]");
    // The stylesheet applied (a rule only style.css has), and nothing came from elsewhere.
    const display = await b.page.$eval("#result", (el) => getComputedStyle(el).display);
    assert.equal(display, "none");
    const radius = await b.page.$eval(".card", (el) => getComputedStyle(el).borderTopLeftRadius);
    assert.equal(radius, "14px");
    for (const url of requests) assert.ok(url.startsWith(`${ORIGIN}/`), `request outside the worker: ${url}`);
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});

test("an empty form gets a message, not a request", async () => {
  const b = await openBrowser();
  try {
    await b.page.goto(`${ORIGIN}/`);
    await b.page.waitForSelector("html[data-ready=home]");
    const calls = [];
    b.page.on("request", (r) => r.url().includes("/v2/") && calls.push(r.url()));
    await b.page.click("#shorten-submit");
    assert.equal(await b.page.textContent("#shorten-error"), "Paste a link to shorten.");
    await b.page.click("#file-submit");
    assert.equal(await b.page.textContent("#file-error"), "Choose a file to share.");
    assert.deepEqual(calls, []);
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});

test("the download page refuses a wrong password with a clear message and downloads nothing", async () => {
  const b = await openBrowser();
  try {
    const calls = [];
    b.page.on("request", (r) => r.url().includes("/v2/") && calls.push(r.url()));
    let downloads = 0;
    b.page.on("download", () => downloads++);
    await b.page.goto(`${ORIGIN}/-/file/ww7.io/qt36xE#${SOME_SIGNATURE}`);
    await b.page.waitForSelector("html[data-ready=download]");
    assert.equal(await b.page.evaluate(() => document.activeElement?.id), "password");
    await b.page.fill("#password", "not the password");
    await b.page.click("#unlock-submit");
    await b.page.waitForSelector("#error:not([hidden])");
    assert.match(await b.page.textContent("#error"), /^Wrong password/);
    assert.equal(await b.page.isVisible("#done"), false);
    assert.deepEqual(calls, [], "a wrong password must not reach the API");
    assert.equal(downloads, 0);
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});

test("the download page decrypts the reference's Python file from the API's answers (API stubbed in the browser)", async () => {
  // The page's own flow, independent of the server's file calls: the two requests it makes are
  // answered here as CONTRACT.md says the API answers them.
  const b = await openBrowser();
  try {
    const seen = [];
    await b.page.route(`${ORIGIN}/v2/get_protected_file_info`, async (route) => {
      seen.push(JSON.parse(route.request().postData()));
      await route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({
          status: "success",
          type: "get_protected_file_info",
          output: {
            encryption: 1,
            filename: fixture.filename,
            filesize: fixture.filesize,
            filetype: fixture.filetype,
            url: `${ORIGIN}/stub-download/${fixture.filename}`,
            url_expire_utime: Date.now() * 1000 + 60e6,
          },
        }),
      });
    });
    await b.page.route(`${ORIGIN}/stub-download/**`, (route) =>
      route.fulfill({ contentType: "application/octet-stream", body: Buffer.from(fixture.stored_base64, "base64") }),
    );
    await b.page.goto(`${ORIGIN}/-/file/ww7.io/Py7hon#${fixture.signature}`);
    await b.page.waitForSelector("html[data-ready=download]");
    await b.page.fill("#password", fixture.password);
    const [download] = await Promise.all([b.page.waitForEvent("download"), b.page.click("#unlock-submit")]);
    assert.deepEqual(seen, [{ shorturl: "https://ww7.io/Py7hon", challenge: fixture.challenge }]);
    assert.equal(download.suggestedFilename(), fixture.filename);
    const bytes = readFileSync(await download.path());
    assert.ok(bytes.equals(Buffer.from(fixture.original_base64, "base64")), "decrypted bytes equal the original");
    await b.page.waitForSelector("#done:not([hidden])");
    assert.equal(await b.page.textContent("#filename"), fixture.filename);
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});

test("the download page refuses damaged bytes and saves nothing (API stubbed in the browser)", async () => {
  const b = await openBrowser();
  try {
    const stored = Buffer.from(fixture.stored_base64, "base64");
    stored[100] ^= 1;
    await b.page.route(`${ORIGIN}/v2/get_protected_file_info`, (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({
          status: "success",
          output: {
            encryption: 1,
            filename: "x.png",
            filesize: fixture.filesize,
            filetype: "",
            url: `${ORIGIN}/stub/x`,
          },
        }),
      }),
    );
    await b.page.route(`${ORIGIN}/stub/x`, (route) => route.fulfill({ body: stored }));
    let downloads = 0;
    b.page.on("download", () => downloads++);
    await b.page.goto(`${ORIGIN}/-/file/ww7.io/Py7hon#${fixture.signature}`);
    await b.page.waitForSelector("html[data-ready=download]");
    await b.page.fill("#password", fixture.password);
    await b.page.click("#unlock-submit");
    await b.page.waitForSelector("#error:not([hidden])");
    assert.match(await b.page.textContent("#error"), /damaged/);
    assert.equal(downloads, 0);
  } finally {
    await b.close();
  }
});

test("the mail pages (verify, reset) share the look and run under their CSP", async () => {
  const b = await openBrowser();
  try {
    await b.page.goto(`${ORIGIN}/-/verify?code=${"0".repeat(32)}`);
    assert.equal(await b.page.$eval(".card", (el) => getComputedStyle(el).borderTopLeftRadius), "14px");
    assert.match(await b.page.textContent("h1"), /\S/);
    await b.page.goto(`${ORIGIN}/-/reset#code=${"ab".repeat(16)}&email=a%40example.com`);
    assert.equal(await b.page.$eval(".card", (el) => getComputedStyle(el).borderTopLeftRadius), "14px");
    assert.equal(await b.page.inputValue("#reset-email"), "a@example.com");
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});

test("every page fits a phone screen without sideways scrolling", async () => {
  const b = await openBrowser({ viewport: { width: 375, height: 740 }, isMobile: true });
  try {
    for (const path of ["/", `/-/file/ww7.io/qt36xE#${SOME_SIGNATURE}`, "/-/file/ww7.io/x", "/-/reset"]) {
      await b.page.goto(`${ORIGIN}${path}`);
      const { scroll, client } = await b.page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      assert.ok(scroll <= client, `${path}: ${scroll}px wide content in a ${client}px screen`);
    }
    // The phone layout stacks the URL field above its button.
    await b.page.goto(`${ORIGIN}/`);
    const input = await b.page.locator("#url").boundingBox();
    const button = await b.page.locator("#shorten-submit").boundingBox();
    assert.ok(button.y >= input.y + input.height, "button below the field on a phone");
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});
