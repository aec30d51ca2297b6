// The pages mail links lead to: GET /-/verify?code=... (verifies and says so) and GET /-/reset
// (a form that sets a new password; its script is /-/reset.js).
import { Hono } from "hono";
import { html } from "hono/html";
import { redeemVerifyCode } from "../accounts/mail-calls";
import { nowUs } from "../api/clock";
import { getDb } from "../db/client";
import { messagePage, pageHeaders, renderPage } from "./layout";
import { RESET_SCRIPT } from "./reset-script";

/** The reset page's CSP: its own script and calls to the API on the same origin, nothing else. */
const RESET_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const FORM_STYLE = html`<style>
form{display:grid;gap:.75rem;margin-top:1rem}label{display:grid;gap:.25rem;font-weight:600}
input{font:inherit;padding:.5rem .6rem;border:1px solid var(--muted);border-radius:6px;background:transparent;color:inherit}
button{font:inherit;padding:.6rem 1rem;border:0;border-radius:6px;background:var(--accent);color:#fff;cursor:pointer}
button:disabled{opacity:.6;cursor:default}.error{color:#c92a2a}
</style>`;

export const mailPages = new Hono<{ Bindings: Cloudflare.Env }>();

mailPages.get("/verify", async (c) => {
  const outcome = await redeemVerifyCode(getDb(c.env.DB), c.req.query("code") ?? "", nowUs());
  switch (outcome) {
    case "verified":
      return messagePage(200, "Email address verified", "Thank you: your email address is confirmed.");
    case "used":
      return messagePage(410, "Link already used", "This verification link was used already.");
    case "expired":
      return messagePage(410, "Link expired", "This verification link has expired. Ask for a new one.");
    default:
      return messagePage(404, "Link not valid", "This verification link is not valid. Ask for a new one.");
  }
});

mailPages.get("/reset", async () => {
  const page = await renderPage({
    title: "Set a new password",
    head: html`${FORM_STYLE}<script src="/-/reset.js" defer></script>`,
    body: html`<h1>Set a new password</h1>
<p class="muted">Choose the new password of your ww7 account. It never leaves this browser: only a
hash of it is sent.</p>
<form id="reset-form">
<label>Email address <input id="reset-email" type="email" autocomplete="username" required></label>
<label>New password <input id="reset-password" type="password" autocomplete="new-password" minlength="8" required></label>
<label>Repeat it <input id="reset-repeat" type="password" autocomplete="new-password" minlength="8" required></label>
<button id="reset-submit" type="submit">Set the new password</button>
</form>
<p id="reset-status" class="muted" role="status"></p>`,
  });
  return new Response(page.toString(), {
    headers: { ...pageHeaders(RESET_CSP), "cache-control": "private, no-store" },
  });
});

mailPages.get(
  "/reset.js",
  () =>
    new Response(RESET_SCRIPT, {
      headers: {
        "content-type": "text/javascript; charset=utf-8",
        "x-content-type-options": "nosniff",
        "cache-control": "public, max-age=300",
      },
    }),
);
