// The one page layout for people (404/410 pages, mail confirmations, the home and download pages):
// a self-contained HTML document whose stylesheet, icon and scripts are all served by this worker
// under /-/static/ (no CDN, no external font), under a strict Content-Security-Policy with no
// inline script or style at all.
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { ASSETS } from "./assets.gen";

/** The URL of a static asset, versioned by its content hash (served immutable). */
export function assetUrl(name: string): string {
  const asset = ASSETS[name];
  if (!asset) throw new Error(`no static asset ${name}`);
  return `/-/static/${name}?v=${asset.hash}`;
}

const COMMON_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Content-Security-Policy of pages without scripts. */
export const STRICT_CSP = COMMON_CSP;

/**
 * Content-Security-Policy of pages with a script from /-/static/: same-origin scripts and API
 * calls only, images from data: (QR codes) and blob: (decrypted files), and Trusted Types
 * enforced, so no string can ever reach an HTML or script sink.
 */
export const SCRIPT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

export interface PageOptions {
  title: string;
  /** the page's body, already escaped (use hono's `html` template) */
  body: HtmlEscapedString | Promise<HtmlEscapedString>;
  /** extra elements for <head> (scripts, styles) */
  head?: HtmlEscapedString | Promise<HtmlEscapedString>;
  /** "card" (default) puts the body in one card; "plain" leaves the layout to the body */
  frame?: "card" | "plain";
}

export function renderPage({ title, body, head, frame = "card" }: PageOptions) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<title>${title} · ww7</title>
<link rel="icon" href="${assetUrl("icon.svg")}" type="image/svg+xml">
<link rel="stylesheet" href="${assetUrl("style.css")}">
${head ?? ""}
</head>
<body>
<header class="top">
<a class="brand" href="/"><img src="${assetUrl("icon.svg")}" alt="" width="30" height="30"><span>ww7</span></a>
<span class="tagline">Short links and encrypted file sharing</span>
</header>
<main class="wrap">
${frame === "card" ? html`<div class="card">${body}</div>` : body}
</main>
<footer class="foot">ww7 · files shared with a password are encrypted in the browser; the server never sees the password.</footer>
</body>
</html>`;
}

/** Security headers every page carries. */
export function pageHeaders(csp = STRICT_CSP): Record<string, string> {
  return {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
  };
}

/** A whole response with a short message for a person (404, 410, confirmations). */
export async function messagePage(status: number, title: string, message: string): Promise<Response> {
  const badge = status >= 400 ? html`<div class="badge">${status}</div>` : html`<div class="badge ok">✓</div>`;
  const page = await renderPage({
    title,
    body: html`<div class="message">${badge}<h1>${title}</h1><p class="muted">${message}</p><p class="actions"><a class="button" href="/">Go to ww7</a></p></div>`,
  });
  return new Response(page.toString(), { status, headers: { ...pageHeaders(), "cache-control": "private, no-store" } });
}
