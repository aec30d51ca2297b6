// Screenshots of every page at desktop (1280×800) and phone (390×844) width, into
// docs/screenshots/. Run through `npm run screenshots` (scripts/e2e.sh starts the worker).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  DESKTOP,
  localShortLink,
  localSite,
  ORIGIN,
  ok,
  openBrowser,
  PHONE,
  uploadPythonFixture,
} from "../test/e2e/harness.mjs";

const OUT = join(import.meta.dirname, "..", "docs", "screenshots");
mkdirSync(OUT, { recursive: true });

const site = await localSite();
const taken = [];

async function shoot(name, viewport, isMobile, steps) {
  const b = await openBrowser({ viewport, isMobile });
  try {
    await steps(b.page);
    const file = join(OUT, `${name}-${isMobile ? "phone" : "desktop"}.png`);
    await b.page.screenshot({ path: file, fullPage: true });
    taken.push(file);
  } finally {
    await b.close();
  }
}

/** A page in both sizes. */
async function both(name, steps) {
  await shoot(name, DESKTOP, false, steps);
  await shoot(name, PHONE, true, steps);
}

// Home, as a first visit shows it.
await both("home", async (page) => {
  await page.goto(`${ORIGIN}/`);
  await page.waitForSelector("html[data-ready=home]");
});

// Home after shortening a link (result with copy button and QR, list of links).
await both("home-result", async (page) => {
  await page.goto(`${ORIGIN}/`);
  await page.waitForSelector("html[data-ready=home]");
  for (const url of [`${site.url}/docs/getting-started`, `${site.url}/blog/2024/a-rather-long-article-title`]) {
    await page.fill("#url", url);
    await page.click("#shorten-submit");
    await page.waitForSelector("#result:not([hidden])");
  }
  await page.setInputFiles("#file", {
    name: "holiday-photos.zip",
    mimeType: "application/zip",
    buffer: Buffer.alloc(48_213, 7),
  });
  await page.fill("#file-password", "correct horse");
  await page.click("#file-submit");
  await page.waitForFunction(() => document.querySelector("#result-note")?.textContent?.includes("holiday"));
  await page.fill("#url", `${site.url}/docs/getting-started`);
  await page.click("#shorten-submit");
  await page.waitForFunction(() => document.querySelector("#result-note")?.textContent?.includes("getting"));
  await page.waitForFunction(() => document.querySelectorAll("#links li").length >= 2);
  await page.evaluate(() => window.scrollTo(0, 0));
});

// The download page of an encrypted file, as it opens, and after a wrong password.
const { userid: fileOwner } = await ok("temporary_account");
const fileLink = localShortLink((await uploadPythonFixture(fileOwner)).entry.shorturl);
await both("download", async (page) => {
  await page.goto(fileLink);
  await page.waitForSelector("html[data-ready=download]");
});
await both("download-wrong-password", async (page) => {
  await page.goto(fileLink);
  await page.waitForSelector("html[data-ready=download]");
  await page.fill("#password", "guess");
  await page.click("#unlock-submit");
  await page.waitForSelector("#error:not([hidden])");
});

// 404 and 410 of short links.
await both("404", async (page) => {
  await page.goto(`${ORIGIN}/NoSuch9`);
});
const { userid } = await ok("temporary_account");
const { entry: gone } = await ok("url", { userid, url: `${site.url}/gone`, expiration_utime: 1 });
await both("410", async (page) => {
  await page.goto(localShortLink(gone.shorturl));
});

// The email verification page: a real verification through the local outbox (a new account for
// each screenshot, since a link verifies once).
let accountsMade = 0;
async function verifyLink() {
  const email = `screenshot.${Date.now()}.${++accountsMade}@example.com`;
  const password = "4b2b8c1b2e4cde6a3a4f2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e";
  await ok("signup", { email, password });
  const login = await ok("login", { username_email: email, password });
  await ok("verify_email", { userid: login.userid, token: login.token });
  // The mail is sent in the background: poll the outbox for a few seconds.
  for (let i = 0; i < 50; i++) {
    const mails = await (await fetch(`${ORIGIN}/-/outbox?to=${encodeURIComponent(email)}&limit=1`)).json();
    const found = mails[0]?.text?.match(/\/-\/verify\?code=[0-9a-f]{32}/);
    if (found) return `${ORIGIN}${found[0]}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("no verification link in the outbox");
}
await both("verify", async (page) => {
  await page.goto(await verifyLink());
});
await both("reset", async (page) => {
  await page.goto(`${ORIGIN}/-/reset#code=${"ab".repeat(16)}&email=test.user%40nowhere.com`);
});

await site.close();
console.log(`screenshots:\n${taken.map((f) => `  ${f}`).join("\n")}`);
