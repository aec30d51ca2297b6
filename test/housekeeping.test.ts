// Housekeeping: the scheduled handler over a mix of expired and live accounts, entries, R2 files,
// multipart uploads, tokens and codes; exactly the expired ones go, R2 included.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/accounts/secrets";
import { storageKey } from "../src/files/storage-key";
import { runHousekeeping } from "../src/housekeeping/run";
import worker from "../src/index";
import { ok, registered } from "./helpers/api";

const HOUR_US = 3600 * 1_000_000;
const nowUs = () => Date.now() * 1000;
let seq = 0;

async function expire(userid: string) {
  await env.DB.prepare("UPDATE users SET expiration_utime = ? WHERE userid = ?")
    .bind(nowUs() - 1, userid)
    .run();
}

/** An entry row; a file entry also gets its bytes in R2. */
async function entry(userid: string, file: boolean, expirationUs = Number.MAX_SAFE_INTEGER) {
  seq += 1;
  const code = `hk${seq}x${Math.random().toString(36).slice(2, 8)}`;
  const filekey = file ? `fk${seq}`.padEnd(32, "0") : "";
  const url = file ? `file-${seq}.bin` : `https://example.com/${seq}`;
  await env.DB.prepare(
    "INSERT INTO entries (userid, host, code, url, create_utime, expiration_utime, filekey, filesize) VALUES (?, 'ww7.io', ?, ?, ?, ?, ?, ?)",
  )
    .bind(userid, code, url, nowUs(), expirationUs, filekey, file ? 5 : -1)
    .run();
  if (file) await env.FILES.put(storageKey(userid, filekey, url), "bytes");
  return { code, key: file ? storageKey(userid, filekey, url) : null };
}

/** A real R2 multipart upload with one part, and its uploads / upload_parts rows. */
async function upload(userid: string, expirationUs: number) {
  seq += 1;
  const filekey = `up${seq}`.padEnd(32, "0");
  const key = storageKey(userid, filekey, "big.bin");
  const mpu = await env.FILES.createMultipartUpload(key);
  const part = await mpu.uploadPart(1, "first part");
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO uploads (filekey, userid, filename, filesize, r2_key, r2_upload_id, create_utime, expiration_utime) VALUES (?, ?, 'big.bin', 100, ?, ?, ?, ?)",
    ).bind(filekey, userid, key, mpu.uploadId, nowUs(), expirationUs),
    env.DB.prepare("INSERT INTO upload_parts (filekey, partnumber, partsize, etag) VALUES (?, 1, 10, ?)").bind(
      filekey,
      part.etag,
    ),
  ]);
  return { filekey, key, uploadId: mpu.uploadId, part };
}

/** Whether R2 still holds the multipart upload (completing it succeeds; the object is removed again). */
async function uploadAlive(u: Awaited<ReturnType<typeof upload>>): Promise<boolean> {
  try {
    await env.FILES.resumeMultipartUpload(u.key, u.uploadId).complete([u.part]);
  } catch {
    return false;
  }
  await env.FILES.delete(u.key);
  return true;
}

async function token(userid: string, expirationUs: number) {
  seq += 1;
  const hash = await sha256Hex(`token-${seq}`);
  await env.DB.prepare("INSERT INTO tokens (token_hash, userid, create_utime, expiration_utime) VALUES (?, ?, ?, ?)")
    .bind(hash, userid, nowUs(), expirationUs)
    .run();
  return hash;
}

async function code(userid: string, expirationUs: number) {
  seq += 1;
  const hash = await sha256Hex(`code-${seq}`);
  await env.DB.prepare(
    "INSERT INTO one_time_codes (code_hash, kind, userid, email, create_utime, expiration_utime) VALUES (?, 'verify_email', ?, 'x@example.com', ?, ?)",
  )
    .bind(hash, userid, nowUs(), expirationUs)
    .run();
  return hash;
}

const column = async (query: string) => (await env.DB.prepare(query).all()).results.map((r) => Object.values(r)[0]);

async function r2Keys(): Promise<string[]> {
  const listed = await env.FILES.list({ prefix: "storage/" });
  return listed.objects.map((o) => o.key).sort();
}

async function runScheduled() {
  const controller = createScheduledController({ scheduledTime: Date.now(), cron: "*/15 * * * *" });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("scheduled housekeeping", () => {
  it("removes exactly the expired: temporary accounts with all they own, stale uploads, old tokens and codes", async () => {
    // An expired temporary account, with URL and file entries, an upload in progress, a token, a code.
    const gone = (await ok("temporary_account", {})).userid as string;
    const goneUrl = await entry(gone, false);
    const goneFile1 = await entry(gone, true);
    const goneFile2 = await entry(gone, true);
    const goneUpload = await upload(gone, nowUs() + HOUR_US);
    const goneToken = await token(gone, nowUs() + HOUR_US);
    await expire(gone);

    // A live temporary account.
    const temp = (await ok("temporary_account", {})).userid as string;
    const tempFile = await entry(temp, true);
    const tempUpload = await upload(temp, nowUs() + HOUR_US);

    // A live registered account, with an expired entry (it stays: the account owns it), a stale
    // upload (aborted) and a live one, expired and live tokens and codes.
    const user = await registered("live");
    const userUrl = await entry(user.userid, false);
    const userOldFile = await entry(user.userid, true, nowUs() - HOUR_US);
    const staleUpload = await upload(user.userid, nowUs() - 1);
    const liveUpload = await upload(user.userid, nowUs() + HOUR_US);
    const oldToken = await token(user.userid, nowUs() - 1);
    const oldCode = await code(user.userid, nowUs() - 1);
    const liveCode = await code(user.userid, nowUs() + HOUR_US);

    const keysBefore = await r2Keys();
    expect(keysBefore).toEqual([goneFile1.key, goneFile2.key, tempFile.key, userOldFile.key].sort() as string[]);
    const liveTokens = await column(`SELECT token_hash FROM tokens WHERE userid = '${user.userid}' ORDER BY 1`);
    expect(liveTokens).toContain(oldToken);

    await runScheduled();

    expect(await column("SELECT userid FROM users ORDER BY userid")).toEqual([temp, user.userid].sort());
    expect((await column("SELECT code FROM entries ORDER BY code")).sort()).toEqual(
      [tempFile.code, userUrl.code, userOldFile.code].sort(),
    );
    expect(await column(`SELECT code FROM entries WHERE code = '${goneUrl.code}'`)).toEqual([]);
    expect(await r2Keys()).toEqual([tempFile.key, userOldFile.key].sort() as string[]);
    expect((await column("SELECT filekey FROM uploads")).sort()).toEqual(
      [tempUpload.filekey, liveUpload.filekey].sort(),
    );
    expect((await column("SELECT filekey FROM upload_parts")).sort()).toEqual(
      [tempUpload.filekey, liveUpload.filekey].sort(),
    );
    expect(await column("SELECT token_hash FROM tokens ORDER BY 1")).toEqual(
      liveTokens.filter((h) => h !== oldToken).sort(),
    );
    expect(await column(`SELECT userid FROM tokens WHERE token_hash = '${goneToken}'`)).toEqual([]);
    expect(await column("SELECT code_hash FROM one_time_codes")).toEqual([liveCode]);
    expect(await column(`SELECT code_hash FROM one_time_codes WHERE code_hash = '${oldCode}'`)).toEqual([]);

    // R2: the expired account's and the stale multipart uploads are aborted; the live ones are not.
    expect(await uploadAlive(goneUpload)).toBe(false);
    expect(await uploadAlive(staleUpload)).toBe(false);
    expect(await uploadAlive(tempUpload)).toBe(true);
    expect(await uploadAlive(liveUpload)).toBe(true);

    // The live accounts still work.
    expect((await ok("check_credentials", { userid: temp })).email).toBe("");
    expect((await ok("check_credentials", user)).email).toBe(user.email);

    // A second run has nothing left to do.
    const again = await runHousekeeping(env, nowUs());
    expect(again).toEqual({ accounts: 0, entries: 0, files: 0, uploads: 0, tokens: 0, codes: 0 });
  });

  it("removes only temporary accounts, whatever the expiry of another account says", async () => {
    const user = await registered("odd");
    const file = await entry(user.userid, true);
    await expire(user.userid);
    const report = await runHousekeeping(env, nowUs());
    expect(report.accounts).toBe(0);
    expect(await column(`SELECT userid FROM users WHERE userid = '${user.userid}'`)).toEqual([user.userid]);
    expect(await column(`SELECT code FROM entries WHERE code = '${file.code}'`)).toEqual([file.code]);
    expect(await r2Keys()).toContain(file.key);
  });

  it("works in bounded batches", async () => {
    const limits = { accounts: 2, uploads: 1, tokens: 1, codes: 1, filesPerPage: 1 };
    const temps: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = (await ok("temporary_account", {})).userid as string;
      await entry(id, true);
      await entry(id, true);
      temps.push(id);
    }
    for (const id of temps) await expire(id);
    const user = await registered("bounded");
    await upload(user.userid, nowUs() - 2);
    await upload(user.userid, nowUs() - 1);
    await token(user.userid, nowUs() - 2);
    await token(user.userid, nowUs() - 1);
    await code(user.userid, nowUs() - 2);
    await code(user.userid, nowUs() - 1);

    const first = await runHousekeeping(env, nowUs(), limits);
    expect(first).toEqual({ accounts: 2, entries: 4, files: 4, uploads: 1, tokens: 1, codes: 1 });
    const second = await runHousekeeping(env, nowUs(), limits);
    expect(second).toEqual({ accounts: 1, entries: 2, files: 2, uploads: 1, tokens: 1, codes: 1 });
    for (const id of temps) expect(await column(`SELECT userid FROM users WHERE userid = '${id}'`)).toEqual([]);
    expect((await r2Keys()).filter((k) => temps.some((id) => k.startsWith(`storage/${id}/`)))).toEqual([]);
  });
});
