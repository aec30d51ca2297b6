// Guessable secrets other than passwords, throttled per target (docs/limits.md): reset codes per
// email address, file challenges per file.
import { describe, expect, it } from "vitest";
import { CHALLENGE_POLICY } from "../src/files/challenge";
import { ok, post, registered } from "./helpers/api";
import { bytesOf, encryptFile, postFile } from "./helpers/files";
import { nthMail, resetLinkOf } from "./helpers/mail";

describe("reset_password", () => {
  it("answers 429 after 10 wrong codes for one address, even with the right code, from any IP", async () => {
    const a = await registered("reset");
    await ok("forgot_password", { username_email: a.email });
    const { code } = resetLinkOf(await nthMail(a.email));
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const wrong = (BigInt(`0x${code}`) ^ BigInt(i + 1)).toString(16).padStart(32, "0");
      const r = await post(
        "reset_password",
        { email: a.email, unique_code: wrong, password: a.password },
        { headers: { "cf-connecting-ip": `198.51.100.${i}` } },
      );
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(403));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const right = await post("reset_password", {
      email: a.email.toUpperCase(),
      unique_code: code,
      password: a.password,
    });
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ weight: 0, error: { code: "rate_limited" } });
    expect(right.body.error.retry_after_s).toBeGreaterThan(0);
    // Another address is not affected.
    const b = await registered("reset");
    await ok("forgot_password", { username_email: b.email });
    const other = resetLinkOf(await nthMail(b.email));
    expect(
      (await post("reset_password", { email: b.email, unique_code: other.code, password: b.password })).status,
    ).toBe(200);
  });
});

describe("get_protected_file_info", () => {
  it("answers 429 to everybody after the file's wrong-challenge budget, and the right challenge works before it", async () => {
    const a = await registered("chal");
    const { data, challenge, signature } = await encryptFile(bytesOf(1000), "pw");
    const query = {
      userid: a.userid,
      token: a.token,
      filename: "x.bin",
      filesize: 1000,
      encryption: 1,
      challenge,
      signature,
    };
    const file = await postFile("file", query, data);
    expect(file.status).toBe(200);
    const shorturl = file.body.output.entry.shorturl;
    expect((await post("get_protected_file_info", { shorturl, challenge })).status).toBe(200);
    const wrong = challenge.replace(/^./, (ch: string) => (ch === "0" ? "1" : "0"));
    const statuses = await Promise.all(
      Array.from({ length: CHALLENGE_POLICY.maxFailures }, () =>
        post("get_protected_file_info", { shorturl, challenge: wrong }).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 403)).toBe(true);
    const after = await post("get_protected_file_info", { shorturl, challenge });
    expect(after.status).toBe(429);
    expect(after.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});
