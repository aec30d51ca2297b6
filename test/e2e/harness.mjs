// Shared by the browser tests: Debian's Chromium through playwright-core, the API of the running
// worker (started by scripts/e2e.sh), a local target site, and detection of calls that have not
// landed yet (their tests are skipped with the missing call named, never silently passed).
import { createDecipheriv, createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const ORIGIN = process.env.E2E_ORIGIN ?? "http://127.0.0.1:8796";
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * A browser with a fresh profile (its own user-data-dir, removed on close) and one context that
 * accepts downloads. `problems` collects console errors, page errors and CSP violations: a page
 * that works only by luck under its Content-Security-Policy shows up there.
 */
export async function openBrowser({ viewport = DESKTOP, isMobile = false } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "ww7-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
    isMobile,
    hasTouch: isMobile,
    deviceScaleFactor: 1,
    acceptDownloads: true,
    permissions: ["clipboard-read", "clipboard-write"],
    locale: "en-US",
    timezoneId: "UTC",
  });
  const problems = [];
  const watch = (page) => {
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      // A 404 or 410 page's own status is reported as a failed load: that is the page working.
      if (msg.text().startsWith("Failed to load resource") && msg.location().url === page.url()) return;
      problems.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** POST /v2/<type> as a client would; returns the parsed envelope and the HTTP status. */
export async function api(type, input = {}) {
  const res = await fetch(`${ORIGIN}/v2/${type}`, { method: "POST", body: JSON.stringify(input) });
  return { status: res.status, body: await res.json() };
}

/** POST and expect success; returns the output. */
export async function ok(type, input = {}) {
  const { status, body } = await api(type, input);
  if (body.status !== "success") throw new Error(`${type}: ${status} ${JSON.stringify(body.error)}`);
  return body.output;
}

/** The multipart `file` call, as the reference's Python sends it. */
export async function uploadFile(query, bytes, filename) {
  const form = new FormData();
  form.append("query", JSON.stringify(query));
  form.append(filename, new Blob([bytes], { type: query.filetype ?? "application/octet-stream" }), filename);
  const res = await fetch(`${ORIGIN}/v2/file`, { method: "POST", body: form });
  const body = await res.json();
  if (body.status !== "success") throw new Error(`file: ${res.status} ${JSON.stringify(body.error)}`);
  return body.output;
}

/** The file encrypted by the reference's Python code (test/fixtures/make-fixtures.py). */
export const pythonFixture = JSON.parse(
  readFileSync(new URL("../fixtures/python-encrypted-file.json", import.meta.url), "utf8"),
);

/** Uploads the Python-encrypted fixture for `userid` with its own challenge and signature. */
export async function uploadPythonFixture(userid) {
  const f = pythonFixture;
  return uploadFile(
    {
      userid,
      filename: f.filename,
      filesize: f.filesize,
      filetype: f.filetype,
      encryption: 1,
      challenge: f.challenge,
      signature: f.signature,
    },
    Buffer.from(f.stored_base64, "base64"),
    f.filename,
  );
}

/** A site on 127.0.0.1 for short links to point at (never the internet). */
export async function localSite() {
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(req.url);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><title>Arrived</title><h1 id="arrived">Arrived at ${req.url}</h1>`);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** `https://ww7.io/AbC123?qr` -> the same code (and query) on the local worker (which resolves it on the default host). */
export function localShortLink(shorturl) {
  const { pathname, search } = new URL(shorturl);
  return `${ORIGIN}${pathname}${search}`;
}

// An implementation of the reference's decrypt_data with node:crypto, independent of the page's
// WebCrypto code: what the page uploads must open here too.
export function nodeKey(password) {
  return createHash("sha256").update(createHash("sha256").update(password, "utf8").digest()).digest();
}

export function nodeDecrypt(sealed, password) {
  const decipher = createDecipheriv("aes-256-gcm", nodeKey(password), sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
}
