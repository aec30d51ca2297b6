// The local outbox: GET /-/outbox lists what was sent when MAIL_OUTBOX = "d1" (the tests' and
// `npm start`'s configuration) and does not exist otherwise (wrangler.toml's default, production).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../src/app";
import { sendMail } from "../src/mail/send";
import { API, fetchWorker, ok, registered } from "./helpers/api";
import { nthMail } from "./helpers/mail";

/** The worker's app under `overrides` of its env (a fresh env object, so settings are read anew). */
async function fetchWith(overrides: Partial<Cloudflare.Env>, url: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(url), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("outbox", () => {
  it("lists the mails sent, newest first, filtered by address", async () => {
    const a = await registered("outbox");
    await ok("forgot_password", { username_email: a.email });
    await nthMail(a.email);
    const res = await fetchWorker(`${API}/-/outbox?to=${encodeURIComponent(a.email.toUpperCase())}`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as { to: string; subject: string; text: string; html: string }[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ to: a.email, from: "noreply@ww7.io" });
    expect(list[0]?.text).toContain("/-/reset#code=");
  });

  it("does not exist when the outbox is off, and mail still goes through the binding", async () => {
    const off = await fetchWith({ MAIL_OUTBOX: "" }, `${API}/-/outbox`);
    const unknown = await fetchWith({ MAIL_OUTBOX: "" }, `${API}/-/no-such-page`);
    expect(off.status).toBe(404);
    expect(await off.text()).toBe(await unknown.text());

    const offEnv = { ...env, MAIL_OUTBOX: "" };
    const sent = await sendMail(offEnv, { to: "someone@example.com", subject: "s", text: "t", html: "<p>t</p>" });
    expect(sent.messageId).not.toBe("");
    const { results } = await env.DB.prepare(
      "SELECT id FROM mail_outbox WHERE to_address = 'someone@example.com'",
    ).all();
    expect(results).toEqual([]);
  });
});
