// Multipart uploads: file_part_initialize / file_part_upload / file_part_finalize on an R2
// multipart upload, parts tracked in D1; bad input is a clear error with nothing left in R2.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signedDownloadUrl } from "../src/files/download-url";
import { abortStaleUploads } from "../src/files/uploads-store";
import { getSettings } from "../src/settings";
import { API, fetchWorker, ok, post, registered } from "./helpers/api";
import { bucketKeys, bytesOf, decryptData, encryptFile, postFile, sha256 } from "./helpers/files";

const MiB = 1024 * 1024;
const PART = 5 * MiB;

type Account = Awaited<ReturnType<typeof registered>>;

async function init(u: Account, filesize: number, filename = "big.bin") {
  return ok("file_part_initialize", { ...u, filename, filesize, filetype: "application/x-test" });
}

async function part(u: Account, filekey: string, partnumber: number, bytes: Uint8Array, partsize = bytes.length) {
  return postFile("file_part_upload", { ...u, filekey, partnumber, partsize }, bytes, { filename: "blob" });
}

async function download(filekey: string, filename: string, headers: Record<string, string> = {}) {
  const { url } = await signedDownloadUrl(env, getSettings(env), API, { filekey, filename }, Date.now() * 1000);
  return fetchWorker(url, { headers });
}

describe("multipart upload", () => {
  it("parts sent out of order are finalized into one file, downloaded whole and by Range", async () => {
    const u = await registered();
    const data = bytesOf(2 * PART + 12345, 5);
    const before = Date.now() * 1000;
    const started = await init(u, data.length);
    expect(started.filekey).toMatch(/^[A-Za-z0-9]{32}$/);
    // 100 kB/s for the file plus an hour
    const expected = BigInt(before) + BigInt(Math.ceil(data.length / 100_000) + 3600) * 1_000_000n;
    expect(Number(BigInt(started.expiration_utime) - expected)).toBeGreaterThanOrEqual(0);
    expect(Number(BigInt(started.expiration_utime) - expected)).toBeLessThan(5_000_000);

    const pieces = [data.subarray(0, PART), data.subarray(PART, 2 * PART), data.subarray(2 * PART)];
    const before0 = await bucketKeys();
    for (const n of [3, 1, 2]) {
      const r = await part(u, started.filekey, n, pieces[n - 1] as Uint8Array);
      expect(r.status, r.body.error?.message).toBe(200);
      expect(r.body.weight).toBe(1250);
    }
    expect(await bucketKeys()).toEqual(before0);
    const fin = await post("file_part_finalize", { ...u, filekey: started.filekey, tag: 5 });
    expect(fin.status, fin.body.error?.message).toBe(200);
    expect(fin.body.weight).toBe(1000);
    expect(fin.body.output.entry).toMatchObject({
      url: "big.bin",
      filekey: started.filekey,
      filesize: data.length,
      filetype: "application/x-test",
      encryption: 0,
      tag: 5,
    });
    expect(await bucketKeys()).toEqual([...before0, `storage/${u.userid}/${started.filekey}/big.bin`].sort());
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM upload_parts WHERE filekey = ?")
      .bind(started.filekey)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);

    const whole = await download(started.filekey, "big.bin");
    expect(whole.status).toBe(200);
    expect(await sha256(await whole.arrayBuffer())).toBe(await sha256(data));
    const ranged = await download(started.filekey, "big.bin", { range: `bytes=${PART - 10}-${PART + 9}` });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes ${PART - 10}-${PART + 9}/${data.length}`);
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(data.slice(PART - 10, PART + 10));
  });

  it("an encrypted file in one part of filesize + 32 bytes", async () => {
    const u = await registered();
    const raw = bytesOf(1000, 8);
    const { data, challenge, signature } = await encryptFile(raw, "pw");
    const started = await init(u, raw.length, "secret.bin");
    expect((await part(u, started.filekey, 1, data)).status).toBe(200);
    const fin = await ok("file_part_finalize", { ...u, filekey: started.filekey, encryption: 1, challenge, signature });
    expect(fin.entry).toMatchObject({ encryption: 1, signature, filesize: 1000 });
    const info = await ok("get_protected_file_info", { shorturl: fin.entry.shorturl, challenge });
    const got = new Uint8Array(await (await fetchWorker(info.url)).arrayBuffer());
    expect(await decryptData(got.subarray(4), "pw")).toEqual(raw);
  });

  it("a missing part: clear error, nothing in R2; the part can still be sent, then finalize works", async () => {
    const u = await registered();
    const data = bytesOf(PART + 10, 2);
    const s = await init(u, data.length);
    const before = await bucketKeys();
    expect((await part(u, s.filekey, 2, data.subarray(PART))).status).toBe(200);
    const fin = await post("file_part_finalize", { ...u, filekey: s.filekey });
    expect(fin.status).toBe(400);
    expect(fin.body.error).toMatchObject({ code: "invalid_input", field: "partnumber", message: "Part 1 is missing." });
    expect(await bucketKeys()).toEqual(before);
    expect((await part(u, s.filekey, 1, data.subarray(0, PART))).status).toBe(200);
    expect((await post("file_part_finalize", { ...u, filekey: s.filekey })).status).toBe(200);
  });

  it("finalizing twice is a clear 409, and a part after finalize is refused", async () => {
    const u = await registered();
    const s = await init(u, 10);
    expect((await part(u, s.filekey, 1, bytesOf(10))).status).toBe(200);
    expect((await post("file_part_finalize", { ...u, filekey: s.filekey })).status).toBe(200);
    const after = await bucketKeys();
    const again = await post("file_part_finalize", { ...u, filekey: s.filekey });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", field: "filekey" });
    expect(again.body.error.message).toMatch(/already finalized/);
    const late = await part(u, s.filekey, 1, bytesOf(10));
    expect(late.status).toBe(409);
    expect(await bucketKeys()).toEqual(after);
  });

  it("a part for another user's filekey is 404 and stores nothing", async () => {
    const a = await registered();
    const b = await registered();
    const s = await init(a, 10);
    const before = await bucketKeys();
    const r = await part(b, s.filekey, 1, bytesOf(10));
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: "not_found", field: "filekey" });
    const f = await post("file_part_finalize", { ...b, filekey: s.filekey });
    expect(f.status).toBe(404);
    const parts = await env.DB.prepare("SELECT COUNT(*) AS n FROM upload_parts WHERE filekey = ?")
      .bind(s.filekey)
      .first<{ n: number }>();
    expect(parts?.n).toBe(0);
    expect(await bucketKeys()).toEqual(before);
  });

  it("out-of-range part numbers and sizes, and partsize disagreeing with the bytes", async () => {
    const u = await registered();
    const s = await init(u, 2 * PART);
    const before = await bucketKeys();
    const cases: [number, Uint8Array, number, string][] = [
      [0, bytesOf(10), 10, "partnumber"],
      [10001, bytesOf(10), 10, "partnumber"],
      [4, bytesOf(10), 10, "partnumber"], // parts 1 to 3 (≥ 5 MiB each) would already exceed the file
      [1, bytesOf(10), 0, "partsize"],
      [1, bytesOf(10), 2 * PART + 33, "partsize"],
      [1, bytesOf(10), 11, "partsize"], // fewer bytes than declared
      [1, bytesOf(12), 11, "partsize"], // more bytes than declared
    ];
    for (const [n, bytes, size, field] of cases) {
      const r = await part(u, s.filekey, n, bytes, size);
      expect(r.status, `${n}/${size}`).toBe(400);
      expect(r.body.error).toMatchObject({ code: "invalid_input", field });
    }
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM upload_parts WHERE filekey = ?")
      .bind(s.filekey)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
    expect(await bucketKeys()).toEqual(before);
  });

  it("parts of unequal or too small sizes, and a total that disagrees with filesize", async () => {
    const u = await registered();
    const before = await bucketKeys();
    const small = await init(u, PART + 20);
    await part(u, small.filekey, 1, bytesOf(10));
    await part(u, small.filekey, 2, bytesOf(10));
    const r1 = await post("file_part_finalize", { ...u, filekey: small.filekey });
    expect(r1.body.error).toMatchObject({ code: "invalid_input", field: "partsize" });

    const short = await init(u, 100);
    await part(u, short.filekey, 1, bytesOf(99));
    const r2 = await post("file_part_finalize", { ...u, filekey: short.filekey });
    expect(r2.body.error).toMatchObject({ code: "invalid_input", field: "filesize" });

    // encryption 1 needs filesize + 32 stored bytes
    const enc = await init(u, 100);
    await part(u, enc.filekey, 1, bytesOf(100));
    const { challenge, signature } = await encryptFile(bytesOf(1), "pw");
    const r3 = await post("file_part_finalize", { ...u, filekey: enc.filekey, encryption: 1, challenge, signature });
    expect(r3.body.error).toMatchObject({ code: "invalid_input", field: "filesize" });
    const r4 = await post("file_part_finalize", { ...u, filekey: enc.filekey, encryption: 1, challenge });
    expect(r4.body.error).toMatchObject({ code: "invalid_input", field: "signature" });
    expect(await bucketKeys()).toEqual(before);
  });

  it("an upload past its expiration_utime is aborted: by the sweep, or when touched", async () => {
    const u = await registered();
    // only this test's uploads are stale
    await env.DB.prepare("DELETE FROM uploads").run();
    const before = await bucketKeys();
    const a = await init(u, 10);
    const b = await init(u, 10);
    const keep = await init(u, 10);
    await part(u, a.filekey, 1, bytesOf(10));
    await part(u, b.filekey, 1, bytesOf(10));
    const ids = await env.DB.prepare("SELECT r2_key, r2_upload_id FROM uploads WHERE filekey = ?")
      .bind(a.filekey)
      .first<{ r2_key: string; r2_upload_id: string }>();
    await env.DB.prepare("UPDATE uploads SET expiration_utime = 1 WHERE filekey IN (?, ?)")
      .bind(a.filekey, b.filekey)
      .run();
    const touched = await post("file_part_finalize", { ...u, filekey: b.filekey });
    expect(touched.status).toBe(410);
    expect(touched.body.error.code).toBe("expired");
    expect(await abortStaleUploads(env, Date.now() * 1000, 10)).toBe(1);
    const left = await env.DB.prepare("SELECT filekey FROM uploads").all<{ filekey: string }>();
    expect(left.results.map((r) => r.filekey)).toEqual([keep.filekey]);
    const parts = await env.DB.prepare("SELECT COUNT(*) AS n FROM upload_parts WHERE filekey IN (?, ?)")
      .bind(a.filekey, b.filekey)
      .first<{ n: number }>();
    expect(parts?.n).toBe(0);
    expect((await part(u, a.filekey, 1, bytesOf(10))).status).toBe(404);
    // the aborted R2 upload cannot be completed any more
    const etag = "unused";
    await expect(
      env.FILES.resumeMultipartUpload(ids?.r2_key ?? "", ids?.r2_upload_id ?? "").complete([{ partNumber: 1, etag }]),
    ).rejects.toThrow();
    await expect(
      env.FILES.resumeMultipartUpload(ids?.r2_key ?? "", ids?.r2_upload_id ?? "").uploadPart(1, "x"),
    ).rejects.toThrow();
    expect(await bucketKeys()).toEqual(before);
  });
});
