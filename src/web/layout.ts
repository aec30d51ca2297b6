// The one page layout for people (404/410 pages, mail confirmations, the home and download pages):
// a self-contained HTML document with its style inline, served with a strict CSP.
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

const STYLE = `
:root{color-scheme:light dark;--fg:#1d2433;--bg:#f6f7fb;--card:#fff;--accent:#3b5bdb;--muted:#5c6478}
@media (prefers-color-scheme:dark){:root{--fg:#e7e9f0;--bg:#12151c;--card:#1b2029;--accent:#8ea2ff;--muted:#a1a8b8}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:40rem;margin:0 auto;padding:2rem 1rem}
.card{background:var(--card);border-radius:12px;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.5rem;margin:0 0 .75rem}a{color:var(--accent)}.muted{color:var(--muted)}
header{font-weight:700;letter-spacing:.04em;margin-bottom:1rem}header a{text-decoration:none}
`;

/** Content-Security-Policy of pages without scripts. Pages with a script pass their own. */
export const STRICT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface PageOptions {
  title: string;
  /** the page's body, already escaped (use hono's `html` template) */
  body: HtmlEscapedString | Promise<HtmlEscapedString>;
  /** extra elements for <head> (scripts, styles) */
  head?: HtmlEscapedString | Promise<HtmlEscapedString>;
}

export function renderPage({ title, body, head }: PageOptions) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · ww7</title>
<style>${raw(STYLE)}</style>
${head ?? ""}
</head>
<body>
<main>
<header><a href="/">ww7</a></header>
<div class="card">${body}</div>
</main>
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
  };
}

/** A whole response with a short message for a person (404, 410, confirmations). */
export async function messagePage(status: number, title: string, message: string): Promise<Response> {
  const page = await renderPage({ title, body: html`<h1>${title}</h1><p class="muted">${message}</p>` });
  return new Response(page.toString(), { status, headers: { ...pageHeaders(), "cache-control": "private, no-store" } });
}
