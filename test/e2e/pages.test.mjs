// The pages load and run under their Content-Security-Policy in Chromium, fit a phone screen, and
// the download page refuses a wrong password by itself (no API call, nothing downloaded).
import assert from "node:assert/strict";
import { test } from "node:test";
import { ORIGIN, openBrowser } from "./harness.mjs";

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

test("every page fits a phone screen without sideways scrolling", async () => {
  const b = await openBrowser({ viewport: { width: 375, height: 740 }, isMobile: true });
  try {
    for (const path of ["/", `/-/file/ww7.io/qt36xE#${SOME_SIGNATURE}`, "/-/file/ww7.io/x"]) {
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
