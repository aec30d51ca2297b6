// Shortening in the browser: the home page makes a short link under a temporary account kept in
// localStorage, shows it with a copy button and its QR code, lists it, and the short link leads
// to the target (a site on 127.0.0.1, never the internet).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import jsQR from "jsqr";
import UPNG from "upng-js";
import { api, localShortLink, localSite, ORIGIN, ok, openBrowser } from "./harness.mjs";

let site;
before(async () => {
  site = await localSite();
});
after(async () => {
  await site?.close();
});

/** The temporary account each page keeps (read while the page is on the worker's origin). */
const userids = new WeakMap();

async function shorten(page, url) {
  await page.goto(`${ORIGIN}/`);
  await page.waitForSelector("html[data-ready=home]");
  await page.fill("#url", url);
  await page.click("#shorten-submit");
  await page.waitForSelector("#result:not([hidden])");
  userids.set(page, await page.evaluate(() => localStorage.getItem("ww7.userid")));
  return page.textContent("#short-url");
}

test("shorten a URL, then open the short link and arrive at the target", async () => {
  const b = await openBrowser();
  try {
    const target = `${site.url}/landing?from=ww7`;
    const shorturl = await shorten(b.page, target);
    assert.match(shorturl, /^https:\/\/ww7\.io\/[A-Za-z0-9]{6}$/);
    assert.equal(await b.page.getAttribute("#short-url", "href"), shorturl);
    assert.match(await b.page.textContent("#result-note"), /landing\?from=ww7/);

    // The temporary account lives in this browser, and the list shows the new link.
    const userid = await b.page.evaluate(() => localStorage.getItem("ww7.userid"));
    assert.match(userid, /^[A-Za-z0-9]{32}$/);
    await b.page.waitForSelector(`#links a[href="${shorturl}"]`);
    assert.equal(await b.page.isVisible("#links-empty"), false);

    // The copy button puts the short URL on the clipboard.
    await b.page.click("#copy");
    await b.page.waitForSelector("#copy:text('Copied')");
    assert.equal(await b.page.evaluate(() => navigator.clipboard.readText()), shorturl);

    // Opening the short link (on the local worker) redirects to the target.
    const res = await b.page.goto(localShortLink(shorturl));
    assert.equal(res.status(), 200);
    assert.equal(b.page.url(), target);
    assert.equal(await b.page.textContent("#arrived"), "Arrived at /landing?from=ww7");
    assert.ok(site.hits.includes("/landing?from=ww7"));

    // Back home, the same account lists the link with its click.
    await b.page.goto(`${ORIGIN}/`);
    await b.page.waitForSelector(`#links a[href="${shorturl}"]`);
    assert.equal(await b.page.evaluate(() => localStorage.getItem("ww7.userid")), userid);
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});

test("the QR code shown in the page scans to the short link, and scanning it counts as a QR click", async () => {
  const b = await openBrowser();
  try {
    const shorturl = await shorten(b.page, `${site.url}/scanned`);
    await b.page.waitForSelector("#qr:not([hidden])");
    const img = await b.page.$eval("#qr", (el) => ({
      src: el.getAttribute("src"),
      width: el.naturalWidth,
      complete: el.complete,
    }));
    assert.match(img.src, /^data:image\/svg\+xml;charset=utf-8,/);
    assert.ok(img.complete && img.width > 0, "the QR image decoded");

    // Scan what the person sees: a screenshot of the rendered image, decoded by jsQR.
    const png = UPNG.decode(await b.page.locator("#qr").screenshot());
    const rgba = new Uint8ClampedArray(UPNG.toRGBA8(png)[0]);
    const scanned = jsQR(rgba, png.width, png.height);
    assert.ok(scanned, "the QR code on screen decodes");
    assert.equal(scanned.data, `${shorturl}?qr`);

    // Following the scanned URL arrives at the target and counts as a QR click.
    await b.page.goto(localShortLink(scanned.data));
    assert.equal(b.page.url(), `${site.url}/scanned`);
    // The click is counted in the background: exact within a second or so.
    let entry;
    for (let i = 0; i < 30; i++) {
      ({ entry } = await ok("get_entry", { userid: userids.get(b.page), shorturl }));
      if (entry.count_qr > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(entry.count_qr, 1);
    assert.equal(entry.count, 0);
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});

test("an address the API refuses gets the API's message", async () => {
  const b = await openBrowser();
  try {
    await b.page.goto(`${ORIGIN}/`);
    await b.page.waitForSelector("html[data-ready=home]");
    await b.page.fill("#url", "ftp://example.com/file");
    await b.page.click("#shorten-submit");
    await b.page.waitForSelector("#shorten-error:not([hidden])");
    const { body } = await api("url", { userid: "x".repeat(32), url: "ftp://example.com/file" });
    assert.ok((await b.page.textContent("#shorten-error")).length > 0);
    if (body.error?.field === "url") assert.equal(await b.page.textContent("#shorten-error"), body.error.message);
    assert.equal(await b.page.isVisible("#result"), false);
  } finally {
    await b.close();
  }
});
