// The pages mail links lead to: GET /-/verify?code=... (verifies and says so) and GET /-/reset
// (a form that sets a new password; its script is /-/reset.js).
import { Hono } from "hono";
import { html } from "hono/html";
import { redeemVerifyCode } from "../accounts/mail-calls";
import { nowUs } from "../api/clock";
import { getDb } from "../db/client";
import { messagePage, pageHeaders, renderPage, SCRIPT_CSP } from "./layout";
import { RESET_SCRIPT } from "./reset-script";

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
    head: html`<script src="/-/reset.js" defer></script>`,
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
    headers: { ...pageHeaders(SCRIPT_CSP), "cache-control": "private, no-store" },
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
