// Files through the API as the reference's Python examples send them: plain and encrypted,
// get_signature → decrypt the challenge → get_protected_file_info → download → decrypt.
import { describe, expect, it } from "vitest";
import { fetchWorker, ok, post, registered, temporary } from "./helpers/api";
import {
  bucketKeys,
  bytesOf,
  decryptData,
  encryptFile,
  fromHex,
  postFile,
  postFileStream,
  sha256,
} from "./helpers/files";

const PNG = "sample-image.png";

describe("file: one multipart body", () => {
  it("stores a plain file and downloads it through the short link's signed URL", async () => {
    const u = await registered();
    const raw = bytesOf(53990, 7);
    const r = await postFile(
      "file",
      { userid: u.userid, token: u.token, filename: PNG, filesize: raw.length, filetype: "image/png" },
      raw,
      { type: "image/png" },
    );
    expect(r.status).toBe(200);
    expect(r.body.weight).toBe(1000);
    const entry = r.body.output.entry;
    expect(entry).toMatchObject({
      url: PNG,
      filesize: 53990,
      filetype: "image/png",
      encryption: 0,
      signature: "",
      enabled: true,
      userid: u.userid,
    });
    expect(entry.filekey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(await bucketKeys()).toContain(`storage/${u.userid}/${entry.filekey}/${PNG}`);
  });

  it("takes filetype null (mimetypes.guess_type gave None) as empty", async () => {
    const t = await temporary();
    const raw = bytesOf(10);
    const r = await postFile("file", { userid: t.userid, filename: "x.unknownext", filesize: 10, filetype: null }, raw);
    expect(r.status).toBe(200);
    expect(r.body.output.entry.filetype).toBe("");
  });

  it("charges 1000 + 100 per whole MB of filesize", async () => {
    const u = await registered();
    const raw = bytesOf(2_500_000, 3);
    const r = await postFile("file", { ...u, filename: "big.bin", filesize: raw.length }, raw);
    expect(r.status).toBe(200);
    expect(r.body.weight).toBe(1200);
    const exact = bytesOf(1_000_000, 4);
    const r2 = await postFile("file", { ...u, filename: "one.bin", filesize: exact.length }, exact);
    expect(r2.body.weight).toBe(1100);
  });

  it("streams a body of unknown length", async () => {
    const u = await registered();
    const chunk = bytesOf(64 * 1024, 9);
    const r = await postFileStream(
      "file",
      { ...u, filename: "s.bin", filesize: 40 * chunk.length },
      async function* () {
        for (let i = 0; i < 40; i++) yield chunk;
      },
    );
    expect(r.status).toBe(200);
    expect(r.body.output.entry.filesize).toBe(40 * chunk.length);
  });

  it("replacing the caller's own code with a new file deletes the old bytes", async () => {
    const u = await registered();
    const a = await postFile("file", { ...u, filename: "a.txt", filesize: 3, code: "myfile01" }, bytesOf(3));
    expect(a.status).toBe(200);
    const b = await postFile("file", { ...u, filename: "b.txt", filesize: 4, code: "myfile01" }, bytesOf(4));
    expect(b.status).toBe(200);
    expect(b.body.output.entry.id).toBe(a.body.output.entry.id);
    const keys = await bucketKeys();
    expect(keys).not.toContain(`storage/${u.userid}/${a.body.output.entry.filekey}/a.txt`);
    expect(keys).toContain(`storage/${u.userid}/${b.body.output.entry.filekey}/b.txt`);
  });
});

describe("encrypted files, as the reference's Python example", () => {
  it("upload → get_signature → decrypt challenge → get_protected_file_info → download → decrypt", async () => {
    const u = await registered();
    const raw = bytesOf(53990, 11);
    const password = "TestPassword";
    const { data, challenge, signature } = await encryptFile(raw, password);
    expect(data.length).toBe(raw.length + 32);
    const query = {
      userid: u.userid,
      token: u.token,
      filename: PNG,
      filesize: raw.length,
      filetype: "image/png",
      tag: 1000,
      challenge,
      signature,
      encryption: 1,
    };
    const up = await postFile("file", query, data, { type: "image/png" });
    expect(up.status).toBe(200);
    expect(up.body.weight).toBe(1000);
    expect(up.body.output.entry).toMatchObject({ encryption: 1, signature, filesize: 53990 });
    const shorturl = up.body.output.entry.shorturl;

    const sig = await post("get_signature", { shorturl });
    expect(sig.body).toMatchObject({ status: "success", weight: 0, output: { signature } });
    const solved = await decryptData(fromHex(sig.body.output.signature), password);
    const challengeHex = [...solved].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(challengeHex).toBe(challenge);

    const info = await post("get_protected_file_info", { shorturl, challenge: challengeHex });
    expect(info.status).toBe(200);
    expect(info.body.weight).toBe(0);
    const out = info.body.output;
    expect(Object.keys(out)).toEqual(["encryption", "filename", "filesize", "filetype", "url", "url_expire_utime"]);
    expect(out).toMatchObject({ encryption: 1, filename: PNG, filesize: 53990, filetype: "image/png" });
    expect(out.url).toMatch(
      /^https:\/\/api\.ww7io\.com\/-\/download\/[A-Za-z0-9]{32}\/sample-image\.png\?exp=\d+&sig=[0-9a-f]{64}$/,
    );
    expect(BigInt(out.url_expire_utime) - BigInt(info.body.utime)).toBe(60_000_000n);

    const res = await fetchWorker(out.url);
    expect(res.status).toBe(200);
    const got = new Uint8Array(await res.arrayBuffer());
    expect(new DataView(got.buffer).getUint32(0, true)).toBe(got.length - 4);
    const plain = await decryptData(got.subarray(4), password);
    expect(await sha256(plain)).toBe(await sha256(raw));
  });

  it("stores only SHA-256 of the challenge; a wrong challenge is 403", async () => {
    const u = await registered();
    const { data, challenge, signature } = await encryptFile(bytesOf(100), "pw");
    const up = await postFile(
      "file",
      { ...u, filename: "e.bin", filesize: 100, challenge, signature, encryption: 1 },
      data,
    );
    expect(up.status).toBe(200);
    const { env } = await import("cloudflare:workers");
    const row = await env.DB.prepare("SELECT challenge_hash FROM entries WHERE filekey = ?")
      .bind(up.body.output.entry.filekey)
      .first<{ challenge_hash: string }>();
    expect(row?.challenge_hash).toBe(await sha256(new TextEncoder().encode(challenge)));
    expect(row?.challenge_hash).not.toContain(challenge);

    const wrong = await post("get_protected_file_info", {
      shorturl: up.body.output.entry.shorturl,
      challenge: "0".repeat(32),
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatchObject({ code: "forbidden", field: "challenge" });
  });

  it("get_signature and get_protected_file_info are 404 for anything but an enabled, unexpired encrypted file", async () => {
    const u = await registered();
    const plain = await postFile("file", { ...u, filename: "p.bin", filesize: 5 }, bytesOf(5));
    const { data, challenge, signature } = await encryptFile(bytesOf(5), "pw");
    const old = await postFile(
      "file",
      { ...u, filename: "o.bin", filesize: 5, challenge, signature, encryption: 1, expiration_utime: 1 },
      data,
    );
    expect(old.status).toBe(200);
    for (const shorturl of [
      plain.body.output.entry.shorturl,
      old.body.output.entry.shorturl,
      "https://ww7.io/nothere",
    ]) {
      const s = await post("get_signature", { shorturl });
      expect(s.status).toBe(404);
      const i = await post("get_protected_file_info", { shorturl, challenge });
      expect(i.status).toBe(404);
    }
  });

  it("requires well-formed challenge and signature, and stores nothing otherwise", async () => {
    const u = await registered();
    const { data, challenge, signature } = await encryptFile(bytesOf(50), "pw");
    const before = await bucketKeys();
    const cases: [Record<string, unknown>, string][] = [
      [{ encryption: 1, signature }, "challenge"],
      [{ encryption: 1, challenge }, "signature"],
      [{ encryption: 1, challenge: "xyz", signature }, "challenge"],
      [{ encryption: 1, challenge: `${challenge}00`, signature }, "challenge"],
      [{ encryption: 1, challenge, signature: signature.slice(2) }, "signature"],
      [{ encryption: 1, challenge, signature: `${signature.slice(2)}zz` }, "signature"],
      [{ encryption: 2, challenge, signature }, "encryption"],
    ];
    for (const [extra, field] of cases) {
      const r = await postFile("file", { ...u, filename: "e.bin", filesize: 50, ...extra }, data);
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(r.body.error).toMatchObject({ code: "invalid_input", field });
    }
    expect(await bucketKeys()).toEqual(before);
  });
});

describe("file: bad input leaves nothing in R2", () => {
  it("bytes disagreeing with filesize (fewer, more, or encryption's +32 missing)", async () => {
    const u = await registered();
    const before = await bucketKeys();
    const fewer = await postFile("file", { ...u, filename: "f.bin", filesize: 1000 }, bytesOf(999));
    expect(fewer.status).toBe(400);
    expect(fewer.body.error).toMatchObject({ code: "invalid_input", field: "filesize" });
    const more = await postFile("file", { ...u, filename: "f.bin", filesize: 1000 }, bytesOf(1001));
    expect(more.status).toBe(400);
    expect(more.body.error).toMatchObject({ code: "invalid_input", field: "filesize" });
    const { challenge, signature } = await encryptFile(bytesOf(1), "pw");
    const enc = await postFile(
      "file",
      { ...u, filename: "f.bin", filesize: 1000, encryption: 1, challenge, signature },
      bytesOf(1000),
    );
    expect(enc.status).toBe(400);
    expect(enc.body.error.field).toBe("filesize");
    expect(await bucketKeys()).toEqual(before);
  });

  it("a body cut short (no closing boundary) is refused", async () => {
    const u = await registered();
    const before = await bucketKeys();
    const { multipartFrame, BOUNDARY } = await import("./helpers/files");
    const { head } = multipartFrame({ ...u, filename: "cut.bin", filesize: 100 }, { filename: "cut.bin" });
    const body = new Uint8Array(head.length + 100);
    body.set(head);
    body.set(bytesOf(100), head.length);
    const res = await fetchWorker("https://api.ww7io.com/v2/file", {
      method: "POST",
      body,
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    });
    expect(res.status).toBe(400);
    expect(await bucketKeys()).toEqual(before);
  });

  it("a file over the single-upload limit is 413 before any byte is stored", async () => {
    const u = await registered();
    const before = await bucketKeys();
    const r = await postFile("file", { ...u, filename: "huge.bin", filesize: 100_000_001 }, bytesOf(10));
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: "too_large", field: "filesize" });
    expect(await bucketKeys()).toEqual(before);
  });

  it("a multipart body declaring more than the Workers request limit is 413", async () => {
    const u = await registered();
    const chunk = bytesOf(1024);
    const r = await postFileStream(
      "file",
      { ...u, filename: "huge.bin", filesize: 1024 },
      async function* () {
        yield chunk;
      },
      { "content-length": String(100 * 1024 * 1024 + 1) },
    ).catch((err: unknown) => ({ status: -1, body: String(err), headers: new Headers() }));
    expect(r.status).toBe(413);
  });

  it("a code that is another user's is 409 and stores nothing", async () => {
    const a = await registered();
    const b = await registered();
    expect((await postFile("file", { ...a, filename: "a", filesize: 1, code: "takenCode1" }, bytesOf(1))).status).toBe(
      200,
    );
    const before = await bucketKeys();
    const r = await postFile("file", { ...b, filename: "b", filesize: 1, code: "takenCode1" }, bytesOf(1));
    expect(r.status).toBe(409);
    expect(await bucketKeys()).toEqual(before);
  });

  it("bad file names, a missing file part, a file part before the query", async () => {
    const u = await registered();
    for (const filename of ["", "a/b", "..", "x\ny", "é".repeat(200)]) {
      const r = await postFile("file", { ...u, filename, filesize: 1 }, bytesOf(1), { filename: "ok" });
      expect(r.status, filename).toBe(400);
      expect(r.body.error.field).toBe("filename");
    }
    const noFile = await fetchWorker("https://api.ww7io.com/v2/file", {
      method: "POST",
      body: `--B\r\nContent-Disposition: form-data; name="query"\r\n\r\n${JSON.stringify({ ...u, filename: "n", filesize: 1 })}\r\n--B--\r\n`,
      headers: { "content-type": "multipart/form-data; boundary=B" },
    });
    expect(noFile.status).toBe(400);
    expect(((await noFile.json()) as { error: { field: string } }).error.field).toBe("file");
    const fileFirst = await fetchWorker("https://api.ww7io.com/v2/file", {
      method: "POST",
      body: `--B\r\nContent-Disposition: form-data; name="f"; filename="f"\r\n\r\nX\r\n--B\r\nContent-Disposition: form-data; name="query"\r\n\r\n{}\r\n--B--\r\n`,
      headers: { "content-type": "multipart/form-data; boundary=B" },
    });
    expect(fileFirst.status).toBe(400);
  });

  it("file and file_part_upload cannot run inside multi", async () => {
    const u = await temporary();
    const out = await ok("multi", { call_queries: [{ type: "file", input: { userid: u.userid } }] });
    expect(out.call_responses[0].error).toMatchObject({ code: "invalid_input", field: "type" });
  });
});
