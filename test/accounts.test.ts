// Accounts: the reference's examples, sent as the examples send them, and what is stored.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { derivePassword, ok, post, registered, temporary } from "./helpers/api";

const REF_PASSWORD = "ffbbafe935a9c961cc5ea6bbdb8d994e3eb2c84f8a48f998fcef14feb9cc1bde";

describe("reference examples", () => {
  it("derives the reference's password the way its Python does", async () => {
    expect(await derivePassword("Trial151!")).toBe(REF_PASSWORD);
  });

  it("temporary_account, signup, login, check_credentials, change_password, logout, multi", async () => {
    const tmp = await post("temporary_account", "{}");
    expect(tmp.status).toBe(200);
    expect(Object.keys(tmp.body)).toEqual(["output", "status", "type", "utime", "weight"]);
    expect(tmp.body).toMatchObject({ status: "success", type: "temporary_account", weight: 1000 });
    expect(tmp.body.output.userid).toMatch(/^[A-Za-z0-9]{32}$/);

    const signup = await post("signup", {
      email: "test.user@nowhere.com",
      username: "Test User",
      password: REF_PASSWORD,
    });
    expect(signup.status).toBe(200);
    expect(signup.body).toMatchObject({ status: "success", type: "signup", weight: 1000 });
    expect(signup.body.output).toMatchObject({ email: "test.user@nowhere.com", username: "Test User" });
    expect(signup.body.output.token).toMatch(/^[A-Za-z0-9]{32}$/);

    const login = await post("login", { username_email: "Test User", password: REF_PASSWORD });
    expect(login.body.output).toEqual({
      userid: signup.body.output.userid,
      token: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      email: "test.user@nowhere.com",
      username: "Test User",
      email_verified: false,
    });
    const { userid, token } = login.body.output;

    const check = await post("check_credentials", { userid, token });
    expect(check.body.output).toEqual({ email: "test.user@nowhere.com", username: "Test User", email_verified: false });

    const newPassword = await derivePassword("NewPassword12!");
    const change = await post("change_password", { userid, token, password: REF_PASSWORD, password_new: newPassword });
    expect(change.body).toMatchObject({ output: {}, status: "success", type: "change_password", weight: 1000 });
    // change_password revoked every other token (signup's) and kept this one.
    expect((await post("check_credentials", { userid, token: signup.body.output.token })).status).toBe(401);
    expect((await post("check_credentials", { userid, token })).status).toBe(200);
    expect((await post("login", { username_email: "Test User", password: REF_PASSWORD })).status).toBe(401);

    const logout = await post("logout", { userid, token });
    expect(logout.body).toMatchObject({ output: {}, status: "success", type: "logout", weight: 0 });
    expect((await post("check_credentials", { userid, token })).status).toBe(401);

    const multi = await post("multi", {
      call_queries: [
        { type: "login", broadcast: true, input: { username_email: "TEST.USER@NOWHERE.COM", password: newPassword } },
        { type: "check_credentials", input: {} },
      ],
    });
    expect(multi.status).toBe(200);
    expect(multi.body).toMatchObject({ status: "success", type: "multi", weight: 2000 });
    const [first, second] = multi.body.output.call_responses;
    expect(first).toMatchObject({ status: "success", type: "login", weight: 1000 });
    expect(second).toMatchObject({
      status: "success",
      type: "check_credentials",
      weight: 1000,
      output: { email: "test.user@nowhere.com", username: "Test User", email_verified: false },
    });
  });
});

describe("signup", () => {
  it("converts a temporary account, keeping its userid", async () => {
    const { userid } = await temporary();
    const check = await ok("check_credentials", { userid });
    expect(check).toEqual({ email: "", email_verified: false });
    const out = await ok("signup", { email: "conv@example.com", password: await derivePassword("x"), userid });
    expect(out.userid).toBe(userid);
    // now registered: a token is required
    expect((await post("check_credentials", { userid })).status).toBe(401);
    expect((await ok("check_credentials", { userid, token: out.token })).email).toBe("conv@example.com");
    // the same userid cannot be converted twice
    const again = await post("signup", { email: "conv2@example.com", password: await derivePassword("x"), userid });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", field: "userid" });
  });

  it("refuses a taken email or username whatever the case (409)", async () => {
    const a = await registered("dup");
    const byEmail = await post("signup", { email: a.email.toUpperCase(), password: a.password });
    expect(byEmail.status).toBe(409);
    expect(byEmail.body.error).toMatchObject({ code: "conflict", field: "email" });
    const byName = await post("signup", {
      email: "other@example.com",
      username: a.username.toUpperCase(),
      password: a.password,
    });
    expect(byName.status).toBe(409);
    expect(byName.body.error).toMatchObject({ code: "conflict", field: "username" });
  });

  it("refuses a username with @ and a malformed email", async () => {
    const password = await derivePassword("x");
    expect((await post("signup", { email: "a@b.co", username: "a@b", password })).body.error.field).toBe("username");
    expect((await post("signup", { email: "not-an-email", password })).body.error.field).toBe("email");
  });
});

describe("credentials", () => {
  it("answers 401 to a wrong token and to another user's token", async () => {
    const a = await registered();
    const b = await registered();
    const wrong = await post("check_credentials", { userid: a.userid, token: "A".repeat(32) });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ status: "error", weight: 0, error: { code: "unauthorized", field: "token" } });
    expect((await post("check_credentials", { userid: a.userid, token: b.token })).status).toBe(401);
    expect((await post("check_credentials", { userid: a.userid })).status).toBe(401);
    expect((await post("check_credentials", { userid: "Z".repeat(32), token: a.token })).status).toBe(401);
  });

  it("answers 401 to a wrong password, without saying which part was wrong", async () => {
    const a = await registered();
    const bad = await post("login", { username_email: a.username, password: "0".repeat(64) });
    const nobody = await post("login", { username_email: "nobody-at-all", password: "0".repeat(64) });
    expect(bad.status).toBe(401);
    expect(nobody.status).toBe(401);
    expect(bad.body.error.message).toBe(nobody.body.error.message);
  });

  it("refuses change_password with a wrong current password, changing nothing", async () => {
    const a = await registered();
    const r = await post("change_password", { ...a, password: "1".repeat(64), password_new: "2".repeat(64) });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: "forbidden", field: "password" });
    expect((await post("login", { username_email: a.email, password: a.password })).status).toBe(200);
  });

  it("stores nothing that lets anyone log in", async () => {
    const a = await registered("stored");
    const login = await ok("login", { username_email: a.username, password: a.password });
    const dump = JSON.stringify([
      (await env.DB.prepare("SELECT * FROM users").all()).results,
      (await env.DB.prepare("SELECT * FROM tokens").all()).results,
    ]);
    for (const secret of [a.password, a.token, login.token]) expect(dump).not.toContain(secret);
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE userid = ?")
      .bind(a.userid)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    const tokens = await env.DB.prepare("SELECT token_hash FROM tokens WHERE userid = ?")
      .bind(a.userid)
      .all<{ token_hash: string }>();
    for (const t of tokens.results) expect(t.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
