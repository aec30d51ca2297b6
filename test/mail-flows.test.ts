// Mail flows: forgot_password / reset_password / verify_email, completed through the mail that was
// actually sent (read from the local outbox), and refusals that change nothing.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { API, derivePassword, fetchWorker, ok, post, registered } from "./helpers/api";
import { mailsTo, nthMail, resetLinkOf, sleep, verifyLinkOf } from "./helpers/mail";

/** What D1 holds for an account: the stored password hash, its tokens, its type. */
async function accountState(userid: string) {
  const user = await env.DB.prepare("SELECT type, email_verified, password_hash FROM users WHERE userid = ?")
    .bind(userid)
    .first();
  const { results: tokenRows } = await env.DB.prepare("SELECT token_hash FROM tokens WHERE userid = ? ORDER BY 1")
    .bind(userid)
    .all();
  return { user, tokens: tokenRows };
}

async function codesOf(userid: string) {
  const { results } = await env.DB.prepare(
    "SELECT kind, used_utime, expiration_utime FROM one_time_codes WHERE userid = ? ORDER BY create_utime",
  )
    .bind(userid)
    .all();
  return results;
}

describe("reference examples", () => {
  it("verify_email, then forgot_password and reset_password, through the mails sent", async () => {
    const trial = await derivePassword("Trial151!");
    await ok("signup", { email: "test.user@nowhere.com", username: "Test User", password: trial });

    // verify_email, as its Python example: login, then verify_email with userid and token.
    const login = await ok("login", { username_email: "Test User", password: trial });
    const verify = await post("verify_email", { userid: login.userid, token: login.token });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ output: {}, status: "success", type: "verify_email", weight: 5000 });

    const verifyMail = await nthMail("test.user@nowhere.com", 1);
    expect(verifyMail.from_address).toBe("noreply@ww7.io");
    expect(verifyMail.message_id).not.toBe("");
    const vlink = verifyLinkOf(verifyMail);
    expect(vlink.url.startsWith(`${API}/-/verify?code=`)).toBe(true);
    expect(verifyMail.html).toContain(vlink.url);
    expect((await ok("check_credentials", login)).email_verified).toBe(false);

    const page = await fetchWorker(vlink.url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await page.text()).toContain("Email address verified");
    expect((await ok("check_credentials", login)).email_verified).toBe(true);
    expect((await accountState(login.userid)).user).toMatchObject({ type: "verified", email_verified: 1 });

    // forgot_password, as its Python example.
    const forgot = await post("forgot_password", '{"username_email": "Test User"}');
    expect(forgot.status).toBe(200);
    expect(forgot.body).toMatchObject({ output: {}, status: "success", type: "forgot_password", weight: 5000 });
    const resetMail = await nthMail("test.user@nowhere.com", 2);
    expect(resetMail.subject).toMatch(/reset/i);
    const link = resetLinkOf(resetMail);
    expect(link.url.startsWith(`${API}/-/reset#code=`)).toBe(true);
    expect(link.email).toBe("test.user@nowhere.com");
    expect(resetMail.html).toContain(link.code);

    // reset_password, as its Python example, with the code from the mail.
    const newPassword = await derivePassword("ResetNew121!");
    const reset = await post("reset_password", {
      unique_code: link.code,
      email: "test.user@nowhere.com",
      password: newPassword,
    });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ status: "success", type: "reset_password", weight: 5000 });
    expect(reset.body.output).toEqual({
      userid: login.userid,
      token: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      username: "Test User",
      email_verified: true,
    });
    // Every earlier token is revoked; the new one works; only the new password logs in.
    expect((await post("check_credentials", login)).status).toBe(401);
    expect((await post("check_credentials", { userid: login.userid, token: reset.body.output.token })).status).toBe(
      200,
    );
    expect((await post("login", { username_email: "Test User", password: trial })).status).toBe(401);
    expect((await post("login", { username_email: "test.user@nowhere.com", password: newPassword })).status).toBe(200);
  });
});

describe("reset_password", () => {
  async function requestReset() {
    const account = await registered("reset");
    await ok("forgot_password", { username_email: account.email.toUpperCase() });
    const { code } = resetLinkOf(await nthMail(account.email));
    return { ...account, code };
  }

  it("refuses a reused code and changes nothing", async () => {
    const a = await requestReset();
    const first = await ok("reset_password", {
      email: a.email,
      unique_code: a.code,
      password: await derivePassword("one"),
    });
    const before = await accountState(a.userid);
    const again = await post("reset_password", {
      email: a.email,
      unique_code: a.code,
      password: await derivePassword("two"),
    });
    expect(again.status).toBe(403);
    expect(again.body.error).toMatchObject({ code: "forbidden", field: "unique_code" });
    expect(again.body.weight).toBe(5000);
    expect(await accountState(a.userid)).toEqual(before);
    expect((await post("check_credentials", { userid: a.userid, token: first.token })).status).toBe(200);
    expect((await post("login", { username_email: a.email, password: await derivePassword("two") })).status).toBe(401);
  });

  it("lets only one of two concurrent uses of a code succeed", async () => {
    const a = await requestReset();
    const [p1, p2] = await Promise.all([derivePassword("left"), derivePassword("right")]);
    const replies = await Promise.all([
      post("reset_password", { email: a.email, unique_code: a.code, password: p1 }),
      post("reset_password", { email: a.email, unique_code: a.code, password: p2 }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 403]);
    const winner = replies.findIndex((r) => r.status === 200);
    const { tokens } = await accountState(a.userid);
    expect(tokens).toHaveLength(1);
    expect((await post("login", { username_email: a.email, password: winner === 0 ? p1 : p2 })).status).toBe(200);
  });

  it("refuses an expired code and changes nothing", async () => {
    const a = await requestReset();
    await env.DB.prepare("UPDATE one_time_codes SET expiration_utime = ? WHERE userid = ?")
      .bind(Date.now() * 1000 - 1, a.userid)
      .run();
    const before = await accountState(a.userid);
    const r = await post("reset_password", {
      email: a.email,
      unique_code: a.code,
      password: await derivePassword("x"),
    });
    expect(r.status).toBe(403);
    expect(await accountState(a.userid)).toEqual(before);
    expect((await codesOf(a.userid))[0]).toMatchObject({ used_utime: null });
  });

  it("refuses a made-up code, and a real code with another email, changing nothing", async () => {
    const a = await requestReset();
    const before = await accountState(a.userid);
    const password = await derivePassword("x");
    const madeUp = await post("reset_password", {
      email: a.email,
      unique_code: "9f0c48d2bb15d09b12e7881869b570bc",
      password,
    });
    expect(madeUp.status).toBe(403);
    const other = await registered("other");
    const wrongEmail = await post("reset_password", { email: other.email, unique_code: a.code, password });
    expect(wrongEmail.status).toBe(403);
    expect(await accountState(a.userid)).toEqual(before);
    expect(await accountState(other.userid)).toMatchObject({ user: { password_hash: expect.any(String) } });
    expect((await post("login", { username_email: other.email, password: other.password })).status).toBe(200);
    // The code is still good for its own address.
    expect((await post("reset_password", { email: a.email, unique_code: a.code, password })).status).toBe(200);
  });

  it("validates its input", async () => {
    const r = await post("reset_password", { email: "a@b.co", unique_code: "xyz", password: "00" });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_input");
  });
});

describe("forgot_password", () => {
  it("answers the same for an unknown account and sends nothing", async () => {
    const known = await registered("known");
    const unknownName = await post("forgot_password", { username_email: "nobody-at-all" });
    const unknownEmail = await post("forgot_password", { username_email: "nobody@example.com" });
    const knownReply = await post("forgot_password", { username_email: known.username });
    for (const r of [unknownName, unknownEmail, knownReply]) {
      expect(r.status).toBe(200);
      expect({ ...r.body, utime: 0 }).toEqual({
        output: {},
        status: "success",
        type: "forgot_password",
        utime: 0,
        weight: 5000,
      });
    }
    await nthMail(known.email);
    await sleep(100);
    expect(await mailsTo("nobody@example.com")).toEqual([]);
    const { results } = await env.DB.prepare(
      "SELECT to_address FROM mail_outbox WHERE to_address LIKE 'nobody%'",
    ).all();
    expect(results).toEqual([]);
  });

  it("sends nothing for a temporary account", async () => {
    const tmp = await ok("temporary_account", {});
    expect((await post("forgot_password", { username_email: tmp.userid })).status).toBe(200);
    await sleep(50);
    expect(await codesOf(tmp.userid)).toEqual([]);
  });

  it("mails at most once a minute per account", async () => {
    const a = await registered("flood");
    await ok("forgot_password", { username_email: a.email });
    await nthMail(a.email);
    await ok("forgot_password", { username_email: a.email });
    await ok("forgot_password", { username_email: a.username });
    await sleep(150);
    expect(await mailsTo(a.email)).toHaveLength(1);
    expect(await codesOf(a.userid)).toHaveLength(1);
  });
});

describe("verify_email", () => {
  it("refuses a used, expired or made-up link, changing nothing", async () => {
    const a = await registered("verify");
    await ok("verify_email", a);
    const { url } = verifyLinkOf(await nthMail(a.email));
    expect((await fetchWorker(url)).status).toBe(200);
    const again = await fetchWorker(url);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("already used");

    const b = await registered("verify");
    await ok("verify_email", b);
    const link = verifyLinkOf(await nthMail(b.email));
    await env.DB.prepare("UPDATE one_time_codes SET expiration_utime = ? WHERE userid = ?")
      .bind(Date.now() * 1000 - 1, b.userid)
      .run();
    const before = await accountState(b.userid);
    expect((await fetchWorker(link.url)).status).toBe(410);
    expect((await fetchWorker(`${API}/-/verify?code=9f0c48d2bb15d09b12e7881869b570bc`)).status).toBe(404);
    expect((await fetchWorker(`${API}/-/verify?code=nonsense`)).status).toBe(404);
    expect((await fetchWorker(`${API}/-/verify`)).status).toBe(404);
    expect(await accountState(b.userid)).toEqual(before);
    expect(before.user).toMatchObject({ type: "registered", email_verified: 0 });
  });

  it("keeps a custom account custom", async () => {
    const a = await registered("custom");
    await env.DB.prepare("UPDATE users SET type = 'custom' WHERE userid = ?").bind(a.userid).run();
    await ok("verify_email", a);
    expect((await fetchWorker(verifyLinkOf(await nthMail(a.email)).url)).status).toBe(200);
    expect((await accountState(a.userid)).user).toMatchObject({ type: "custom", email_verified: 1 });
  });

  it("sends nothing when the address is verified already", async () => {
    const a = await registered("done");
    await ok("verify_email", a);
    await fetchWorker(verifyLinkOf(await nthMail(a.email)).url);
    await ok("verify_email", a);
    await sleep(100);
    expect(await mailsTo(a.email)).toHaveLength(1);
  });

  it("needs a token", async () => {
    const tmp = await ok("temporary_account", {});
    expect((await post("verify_email", { userid: tmp.userid })).body.error).toMatchObject({ field: "token" });
    const wrong = await post("verify_email", { userid: tmp.userid, token: "A".repeat(32) });
    expect(wrong.status).toBe(401);
  });
});

describe("reset page", () => {
  it("is a form with its script from /-/ under a strict CSP, no inline script", async () => {
    const res = await fetchWorker(`${API}/-/reset`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline'; script");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const page = await res.text();
    expect(page).toContain('<script src="/-/reset.js" defer></script>');
    expect(page).not.toMatch(/<script>(?!<\/script>)/);
    expect(page).toContain('id="reset-form"');

    const script = await fetchWorker(`${API}/-/reset.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
    const js = await script.text();
    expect(js).toContain('fetch("/v2/reset_password"');
    expect(js).toContain('crypto.subtle.digest("SHA-256"');
  });
});
