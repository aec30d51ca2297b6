// The pages as the worker serves them: headers (strict CSP, nosniff), no inline script or style,
// every asset from this worker, the download page's routing, and the shared message layout.
// What the pages do in a browser is tested in test/e2e/ with Chromium.
import { describe, expect, it } from "vitest";
import { ASSETS } from "../src/web/assets.gen";
import { messagePage, SCRIPT_CSP, STRICT_CSP } from "../src/web/layout";
import { fetchWorker } from "./helpers/api";

const ORIGIN = "https://ww7.io";

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values.join(" ")];
    }),
  );
}

/** Every URL the page loads (src/href of script, link, img): all must be on this origin. */
function loadedUrls(page: string): string[] {
  return [...page.matchAll(/<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? "");
}

function expectStrictPage(res: Response, page: string, csp: string) {
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(res.headers.get("content-security-policy")).toBe(csp);
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(page.startsWith("<!doctype html>")).toBe(true);
  // No inline script or style, no style attribute, no event handler attribute.
  expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(page).not.toMatch(/<style\b/);
  expect(page).not.toMatch(/\sstyle="/);
  expect(page).not.toMatch(/\son[a-z]+="/);
  expect(page).toContain('name="viewport" content="width=device-width, initial-scale=1"');
  for (const url of loadedUrls(page)) expect(url, url).toMatch(/^\/-\/static\/[a-z]+\.[a-z]+\?v=[0-9a-f]{16}$/);
}

describe("content security policies", () => {
  it("script pages allow only this origin's scripts, styles and API, and enforce Trusted Types", () => {
    const d = directives(SCRIPT_CSP);
    expect(d.get("default-src")).toBe("'none'");
    expect(d.get("script-src")).toBe("'self'");
    expect(d.get("style-src")).toBe("'self'");
    expect(d.get("connect-src")).toBe("'self'");
    expect(d.get("img-src")).toBe("'self' data: blob:");
    expect(d.get("base-uri")).toBe("'none'");
    expect(d.get("form-action")).toBe("'none'");
    expect(d.get("frame-ancestors")).toBe("'none'");
    expect(d.get("require-trusted-types-for")).toBe("'script'");
    expect(SCRIPT_CSP).not.toContain("unsafe");
  });

  it("pages without script allow no script at all", () => {
    const d = directives(STRICT_CSP);
    expect(d.get("default-src")).toBe("'none'");
    expect(d.has("script-src")).toBe(false);
    expect(d.has("connect-src")).toBe(false);
    expect(STRICT_CSP).not.toContain("unsafe");
  });
});

describe("GET /", () => {
  it("serves the home page with its script and the forms the script drives", async () => {
    const res = await fetchWorker(`${ORIGIN}/`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expectStrictPage(res, page, SCRIPT_CSP);
    expect(page).toContain(`<script type="module" src="/-/static/home.js?v=${ASSETS["home.js"]?.hash}"></script>`);
    for (const id of ["shorten-form", "url", "file-form", "file", "file-password", "result", "copy", "qr", "links"]) {
      expect(page, id).toContain(`id="${id}"`);
    }
  });

  it("answers the same on any host (the short host, the API host, 127.0.0.1)", async () => {
    for (const origin of ["https://api.ww7io.com", "http://127.0.0.1:8796"]) {
      const res = await fetchWorker(`${origin}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('id="shorten-form"');
    }
  });
});

describe("GET /-/file/<host>/<code>", () => {
  it("serves the download page naming the file's short URL", async () => {
    const res = await fetchWorker(`${ORIGIN}/-/file/ww7.io/qt36xE`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expectStrictPage(res, page, SCRIPT_CSP);
    expect(page).toContain('data-shorturl="https://ww7.io/qt36xE"');
    expect(page).toContain(`src="/-/static/download.js?v=${ASSETS["download.js"]?.hash}"`);
    for (const id of ["unlock", "password", "unlock-submit", "status", "error", "done"]) {
      expect(page, id).toContain(`id="${id}"`);
    }
  });

  it("refuses a malformed host or code with the 404 page", async () => {
    for (const path of ["/-/file/ww7.io/abc", "/-/file/ww7.io/abc-def-ghi", "/-/file/bad_host!/qt36xE"]) {
      const res = await fetchWorker(`${ORIGIN}${path}`);
      expect(res.status, path).toBe(404);
      const page = await res.text();
      expectStrictPage(res, page, STRICT_CSP);
    }
  });

  it("never echoes a rejected path into the page", async () => {
    const res = await fetchWorker(`${ORIGIN}/-/file/ww7.io/qt36xE%22%3E%3Cb%3E`);
    expect(res.status).toBe(404);
    const page = await res.text();
    expect(page).not.toContain("qt36xE");
    expect(page).not.toContain("<b>");
  });
});

describe("GET /-/static/<name>", () => {
  it("serves every asset with its type, nosniff, and long caching for the current hash", async () => {
    for (const [name, asset] of Object.entries(ASSETS)) {
      const res = await fetchWorker(`${ORIGIN}/-/static/${name}?v=${asset.hash}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get("content-type")).toBe(asset.type);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(await res.text()).toBe(asset.body);
    }
    const stale = await fetchWorker(`${ORIGIN}/-/static/style.css?v=0000000000000000`);
    expect(stale.headers.get("cache-control")).toBe("no-cache");
  });

  it("has scripts that load nothing from elsewhere", () => {
    for (const name of ["home.js", "download.js"]) {
      const body = ASSETS[name]?.body ?? "";
      expect(body).not.toMatch(/https?:\/\/(?!ww7\.io)[a-z]/i);
      expect(body).not.toMatch(/\binnerHTML\b|\bouterHTML\b|insertAdjacentHTML|document\.write|\beval\(/);
    }
    expect(ASSETS["style.css"]?.body).not.toMatch(/@import|url\(/);
  });

  it("answers 404 for anything else", async () => {
    for (const name of ["nope.js", "constructor", "__proto__", "toString"]) {
      const res = await fetchWorker(`${ORIGIN}/-/static/${name}`);
      expect(res.status, name).toBe(404);
    }
  });
});

describe("any other path", () => {
  it("gets the 404 page in the shared look, with no script", async () => {
    for (const path of ["/-/no-such-page", "/a/b/c", "/-/static/"]) {
      const res = await fetchWorker(`${ORIGIN}${path}`);
      expect(res.status, path).toBe(404);
      const page = await res.text();
      expectStrictPage(res, page, STRICT_CSP);
      expect(page).toContain('<div class="badge">404</div>');
    }
  });
});

describe("messagePage: the 404/410 and confirmation layout", () => {
  it("renders an error with its status, the shared look and no script", async () => {
    const res = await messagePage(410, "Link expired", "This link has <expired>.");
    expect(res.status).toBe(410);
    const page = await res.text();
    expectStrictPage(res, page, STRICT_CSP);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(page).toContain('<div class="badge">410</div>');
    expect(page).toContain("<h1>Link expired</h1>");
    expect(page).toContain("This link has &lt;expired&gt;.");
    expect(page).toContain(`href="/-/static/style.css?v=${ASSETS["style.css"]?.hash}"`);
  });

  it("renders a confirmation with a check mark", async () => {
    const res = await messagePage(200, "Email verified", "Thank you.");
    const page = await res.text();
    expect(page).toContain('<div class="badge ok">✓</div>');
    expect(page).not.toContain("<script");
  });
});
