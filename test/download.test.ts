// Signed downloads: HMAC over file key and expiry, 403 when anything was changed, 410 once expired,
// Range, attachment with a safely encoded name, never rendered inline; where a file's short link
// leads (fileRedirectLocation).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signDownload, signedDownloadUrl } from "../src/files/download-url";
import { fileRedirectLocation } from "../src/files/redirect-target";
import { getSettings } from "../src/settings";
import { API, fetchWorker, registered } from "./helpers/api";
import { bytesOf, encryptFile, postFile } from "./helpers/files";

const NAME = 'Résumé "final" 100%.html';

async function plainFile(bytes = bytesOf(1000, 21), filename = NAME) {
  const u = await registered();
  const r = await postFile("file", { ...u, filename, filesize: bytes.length, filetype: "text/html" }, bytes);
  expect(r.status).toBe(200);
  return { u, entry: r.body.output.entry, bytes };
}

const nowUs = () => Date.now() * 1000;

async function urlFor(filekey: string, filename = NAME) {
  return (await signedDownloadUrl(env, getSettings(env), API, { filekey, filename }, nowUs())).url;
}

describe("signed download URLs", () => {
  it("serve the bytes as an attachment that is never rendered inline", async () => {
    const { entry, bytes } = await plainFile();
    const url = await urlFor(entry.filekey);
    expect(url).toContain(`/-/download/${entry.filekey}/R%C3%A9sum%C3%A9%20%22final%22%20100%25.html?exp=`);
    const res = await fetchWorker(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="R_sum_ _final_ 100_.html"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%20100%25.html`,
    );
    expect(res.headers.get("content-security-policy")).toContain("sandbox");
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("content-length")).toBe("1000");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it("a changed expiry, file key or signature is 403; an expired one is 410", async () => {
    const { entry } = await plainFile();
    const other = await plainFile(bytesOf(10), "other.txt");
    const good = new URL(await urlFor(entry.filekey));
    const exp = good.searchParams.get("exp") ?? "";
    const sig = good.searchParams.get("sig") ?? "";

    const laterExp = new URL(good);
    laterExp.searchParams.set("exp", String(BigInt(exp) + 3_600_000_000n));
    const otherKey = new URL(good.href.replace(entry.filekey, other.entry.filekey));
    const badSig = new URL(good);
    badSig.searchParams.set("sig", (sig.startsWith("0") ? "1" : "0") + sig.slice(1));
    const noSig = new URL(good);
    noSig.searchParams.delete("sig");
    for (const u of [laterExp, otherKey, badSig, noSig]) {
      const res = await fetchWorker(u.href);
      expect(res.status, u.href).toBe(403);
      expect(res.headers.get("content-type")).toContain("text/html");
    }

    const pastExp = BigInt(nowUs()) - 1_000_000n;
    const pastSig = await signDownload(env.DOWNLOAD_SIGNING_SECRET, entry.filekey, pastExp);
    const expired = await fetchWorker(`${API}/-/download/${entry.filekey}/x?exp=${pastExp}&sig=${pastSig}`);
    expect(expired.status).toBe(410);
    // the file name in the path is cosmetic; the signature covers file key and expiry
    expect((await fetchWorker(good.href.replace("100%25.html", "renamed.bin"))).status).toBe(200);
  });

  it("Range: a slice, a suffix, an open end, an unsatisfiable start; HEAD", async () => {
    const { entry, bytes } = await plainFile(bytesOf(5000, 3));
    const url = await urlFor(entry.filekey);
    const slice = await fetchWorker(url, { headers: { range: "bytes=100-199" } });
    expect(slice.status).toBe(206);
    expect(slice.headers.get("content-range")).toBe("bytes 100-199/5000");
    expect(slice.headers.get("content-length")).toBe("100");
    expect(new Uint8Array(await slice.arrayBuffer())).toEqual(bytes.slice(100, 200));

    const suffix = await fetchWorker(url, { headers: { range: "bytes=-10" } });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get("content-range")).toBe("bytes 4990-4999/5000");
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(bytes.slice(4990));

    const open = await fetchWorker(url, { headers: { range: "bytes=4000-" } });
    expect(new Uint8Array(await open.arrayBuffer())).toEqual(bytes.slice(4000));

    const past = await fetchWorker(url, { headers: { range: "bytes=5000-" } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe("bytes */5000");

    const several = await fetchWorker(url, { headers: { range: "bytes=0-1,5-6" } });
    expect(several.status).toBe(200);
    expect((await several.arrayBuffer()).byteLength).toBe(5000);

    const head = await fetchWorker(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("5000");
    expect(await head.text()).toBe("");
  });

  it("a deleted or disabled file is 404", async () => {
    const { u, entry } = await plainFile();
    const url = await urlFor(entry.filekey);
    await env.DB.prepare("UPDATE entries SET enabled = 0 WHERE filekey = ?").bind(entry.filekey).run();
    expect((await fetchWorker(url)).status).toBe(404);
    await env.DB.prepare("UPDATE entries SET enabled = 1 WHERE filekey = ?").bind(entry.filekey).run();
    await env.FILES.delete(`storage/${u.userid}/${entry.filekey}/${NAME}`);
    expect((await fetchWorker(url)).status).toBe(404);
  });
});

describe("fileRedirectLocation: where a file's short link leads", () => {
  it("a plain file: a signed download URL on the request's origin, valid for 60 s", async () => {
    const { entry, bytes } = await plainFile(bytesOf(300, 4), "a.txt");
    const stored = await env.DB.prepare("SELECT host, code FROM entries WHERE filekey = ?")
      .bind(entry.filekey)
      .first<{ host: string; code: string }>();
    const now = nowUs();
    const location = await fileRedirectLocation(
      env,
      getSettings(env),
      "http://127.0.0.1:8787",
      {
        filekey: entry.filekey,
        url: "a.txt",
        encryption: 0,
        signature: "",
        host: stored?.host ?? "",
        code: stored?.code ?? "",
      },
      now,
    );
    const u = new URL(location);
    expect(u.origin).toBe("http://127.0.0.1:8787");
    expect(u.pathname).toBe(`/-/download/${entry.filekey}/a.txt`);
    expect(BigInt(u.searchParams.get("exp") ?? "0")).toBe(BigInt(now) + 60_000_000n);
    const res = await fetchWorker(`${API}${u.pathname}${u.search}`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it("an encrypted file: the download page with the signature in the fragment; PUBLIC_ORIGIN wins", async () => {
    const u = await registered();
    const { data, challenge, signature } = await encryptFile(bytesOf(10), "pw");
    const r = await postFile(
      "file",
      { ...u, filename: "e.bin", filesize: 10, encryption: 1, challenge, signature, code: "secretFile1" },
      data,
    );
    const e = r.body.output.entry;
    const settings = { ...getSettings(env), publicOrigin: "https://ww7.io" };
    const location = await fileRedirectLocation(
      env,
      settings,
      "http://127.0.0.1:8787",
      { filekey: e.filekey, url: e.url, encryption: 1, signature: e.signature, host: "ww7.io", code: "secretFile1" },
      nowUs(),
    );
    expect(location).toBe(`https://ww7.io/-/file/ww7.io/secretFile1#${signature}`);
  });
});
