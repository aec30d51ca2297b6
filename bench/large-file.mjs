// A 250 MB encrypted file through the API of a running `wrangler dev`, generated on the fly:
// file_part_initialize → file_part_upload (parts of 5 MiB, the last smaller) → file_part_finalize
// → get_signature/get_protected_file_info → the whole download (SHA-256 of the stored bytes and of
// the decrypted plaintext) → a Range download (SHA-256 of the slice). Meanwhile it samples the
// resident memory (VmRSS) of this worktree's workerd processes, to show it stays flat.
//
//   PORT=8794 npm start -- --inspector-port 9294 &     # then:
//   node bench/large-file.mjs                          # env: BASE, SIZE, PART_MIB, TIME_LIMIT_S
//
// The file is real AES-256-GCM in the reference's format (4-byte little-endian length, 12-byte
// IV, ciphertext, 16-byte tag); the plaintext is an AES-CTR keystream, so nothing is stored on
// the client either. Results: bench/files.md.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const BASE = process.env.BASE ?? "http://127.0.0.1:8794";
const STORED = Number(process.env.SIZE ?? 250_000_000); // bytes stored in R2 (filesize + 32)
const PART = Number(process.env.PART_MIB ?? 5) * 1024 * 1024;
const TIME_LIMIT_S = Number(process.env.TIME_LIMIT_S ?? 900);
const FILESIZE = STORED - 32;
const WORKERD = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../node_modules/@cloudflare/workerd-linux-64/bin/workerd",
);

const started = Date.now();
const deadline = setTimeout(() => {
  console.error(`time limit of ${TIME_LIMIT_S}s reached; stopping`);
  process.exit(2);
}, TIME_LIMIT_S * 1000);

// --- memory sampling -------------------------------------------------------------------------
function workerdPids() {
  const pids = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8");
      if (cmd.startsWith(WORKERD)) pids.push(Number(d));
    } catch {}
  }
  return pids;
}
const pids = workerdPids();
if (pids.length === 0) throw new Error(`no workerd of this worktree running (${WORKERD})`);
function rssMiB() {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      kb += Number(m?.[1] ?? 0);
    } catch {}
  }
  return kb / 1024;
}
const phases = [];
let phase = { name: "baseline", min: Number.POSITIVE_INFINITY, max: 0, samples: 0 };
function sample() {
  const v = rssMiB();
  phase.min = Math.min(phase.min, v);
  phase.max = Math.max(phase.max, v);
  phase.samples += 1;
}
function enter(name) {
  sample();
  phases.push(phase);
  phase = { name, min: Number.POSITIVE_INFINITY, max: 0, samples: 0, startedMs: Date.now() };
  sample();
}
const sampler = setInterval(sample, 250);
sample();

// --- the API ---------------------------------------------------------------------------------
async function call(type, input) {
  const res = await fetch(`${BASE}/v2/${type}`, { method: "POST", body: JSON.stringify(input) });
  const body = await res.json();
  if (body.status !== "success") throw new Error(`${type}: ${res.status} ${JSON.stringify(body.error)}`);
  return body.output;
}
const BOUNDARY = "ww7benchboundary0123456789";
async function uploadPart(query, bytes) {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="query"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(query)}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="big.bin"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const res = await fetch(`${BASE}/v2/file_part_upload`, {
    method: "POST",
    body: Buffer.concat([head, bytes, tail]),
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
  });
  const body = await res.json();
  if (body.status !== "success") throw new Error(`part ${query.partnumber}: ${JSON.stringify(body.error)}`);
}

// --- the file, generated on the fly ----------------------------------------------------------
const key = createHash("sha256").update(createHash("sha256").update("BenchPassword").digest()).digest();
const plainSource = createCipheriv("aes-256-ctr", randomBytes(32), randomBytes(16)); // keystream = plaintext
const iv = randomBytes(12);
const gcm = createCipheriv("aes-256-gcm", key, iv);
const challenge = randomBytes(16);

function signatureOf() {
  const nonce = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, nonce);
  const ct = Buffer.concat([c.update(challenge), c.final()]);
  return Buffer.concat([nonce, ct, c.getAuthTag()]).toString("hex");
}

/** The stored bytes in order: prefix, IV, ciphertext of FILESIZE plaintext bytes, tag. */
async function* storedChunks(plainHash) {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32LE(FILESIZE + 28);
  yield Buffer.concat([prefix, iv]);
  const zero = Buffer.alloc(1024 * 1024);
  for (let left = FILESIZE; left > 0; ) {
    const n = Math.min(left, zero.length);
    const plain = plainSource.update(zero.subarray(0, n));
    plainHash.update(plain);
    yield gcm.update(plain);
    left -= n;
  }
  gcm.final();
  yield gcm.getAuthTag();
}

/** Cuts a chunk stream into parts of PART bytes (the last smaller). */
async function* parts(chunks) {
  let buf = [];
  let have = 0;
  for await (const c of chunks) {
    buf.push(c);
    have += c.length;
    while (have >= PART) {
      const all = Buffer.concat(buf);
      yield all.subarray(0, PART);
      buf = [all.subarray(PART)];
      have = all.length - PART;
    }
  }
  if (have > 0) yield Buffer.concat(buf);
}

// A Range to check afterwards: 10 MB from an odd offset that crosses part boundaries.
const RANGE_START = Math.min(123_456_789, Math.floor(STORED / 3) + 1);
const RANGE_LEN = Math.min(10_000_000, Math.floor(STORED / 3));

/** Downloads the whole file, hashing what arrives and decrypting it as a stream. */
async function downloadWhole(url) {
  const t = Date.now();
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`download: ${res.status}`);
  const gotHash = createHash("sha256");
  const gotPlain = createHash("sha256");
  let got = 0;
  let header = Buffer.alloc(0);
  let decipher = null;
  let tailBuf = Buffer.alloc(0); // the last 16 bytes are the tag
  for await (const chunk of res.body) {
    const c = Buffer.from(chunk);
    gotHash.update(c);
    got += c.length;
    let data = c;
    if (!decipher) {
      header = Buffer.concat([header, data]);
      if (header.length < 16) continue;
      if (header.readUInt32LE(0) !== FILESIZE + 28) throw new Error("length prefix is wrong");
      decipher = createDecipheriv("aes-256-gcm", key, header.subarray(4, 16));
      data = header.subarray(16);
    }
    const all = Buffer.concat([tailBuf, data]);
    const keep = Math.min(16, all.length);
    gotPlain.update(decipher.update(all.subarray(0, all.length - keep)));
    tailBuf = all.subarray(all.length - keep);
  }
  decipher.setAuthTag(tailBuf);
  decipher.final(); // throws if the tag does not verify
  return {
    bytes: got,
    seconds: (Date.now() - t) / 1000,
    sha256Downloaded: gotHash.digest("hex"),
    sha256Decrypted: gotPlain.digest("hex"),
  };
}

async function main() {
  console.log(
    `base ${BASE}; stored ${STORED} bytes (filesize ${FILESIZE}) in parts of ${PART} bytes; workerd pids ${pids.join(",")}`,
  );
  const u = await call("temporary_account", {});
  enter("upload");
  const init = await call("file_part_initialize", { userid: u.userid, filename: "big.bin", filesize: FILESIZE });
  const storedHash = createHash("sha256");
  const plainHash = createHash("sha256");
  const rangeHash = createHash("sha256");
  let offset = 0;
  let n = 0;
  const trace = [];
  const t0 = Date.now();
  for await (const part of parts(storedChunks(plainHash))) {
    n += 1;
    storedHash.update(part);
    const from = Math.max(RANGE_START, offset);
    const to = Math.min(RANGE_START + RANGE_LEN, offset + part.length);
    if (from < to) rangeHash.update(part.subarray(from - offset, to - offset));
    await uploadPart({ userid: u.userid, filekey: init.filekey, partnumber: n, partsize: part.length }, part);
    offset += part.length;
    if (n === 1 || n % 8 === 0) trace.push(`${n}:${rssMiB().toFixed(0)}`);
  }
  const uploadS = (Date.now() - t0) / 1000;
  console.log(`workerd VmRSS (MiB) after part n: ${trace.join("  ")}`);
  console.log(
    `uploaded ${n} parts, ${offset} bytes in ${uploadS.toFixed(1)} s (${(offset / 1e6 / uploadS).toFixed(1)} MB/s)`,
  );

  enter("finalize");
  const t1 = Date.now();
  const fin = await call("file_part_finalize", {
    userid: u.userid,
    filekey: init.filekey,
    encryption: 1,
    challenge: challenge.toString("hex"),
    signature: signatureOf(),
  });
  console.log(
    `finalized in ${((Date.now() - t1) / 1000).toFixed(1)} s: ${fin.entry.shorturl}, filesize ${fin.entry.filesize}`,
  );

  // As a client does: signature → challenge → protected info → download.
  const { signature } = await call("get_signature", { shorturl: fin.entry.shorturl });
  const sig = Buffer.from(signature, "hex");
  const d = createDecipheriv("aes-256-gcm", key, sig.subarray(0, 12));
  d.setAuthTag(sig.subarray(-16));
  const solved = Buffer.concat([d.update(sig.subarray(12, -16)), d.final()]).toString("hex");

  const whole = { sha256Stored: storedHash.digest("hex"), sha256Plain: plainHash.digest("hex"), downloads: [] };
  for (const name of ["download whole", "download whole 2"]) {
    enter(name);
    const info = await call("get_protected_file_info", { shorturl: fin.entry.shorturl, challenge: solved });
    const d = await downloadWhole(info.url);
    whole.downloads.push(d);
    console.log(
      `${name}: ${d.bytes} bytes in ${d.seconds.toFixed(1)} s (${(d.bytes / 1e6 / d.seconds).toFixed(1)} MB/s); GCM tag verified`,
    );
    console.log(`  stored    sha256 ${whole.sha256Stored}\n  download  sha256 ${d.sha256Downloaded}`);
    console.log(`  plaintext sha256 ${whole.sha256Plain}\n  decrypted sha256 ${d.sha256Decrypted}`);
  }

  enter("download range");
  const info = await call("get_protected_file_info", { shorturl: fin.entry.shorturl, challenge: solved });
  const r = await fetch(info.url, { headers: { range: `bytes=${RANGE_START}-${RANGE_START + RANGE_LEN - 1}` } });
  const rHash = createHash("sha256");
  let rGot = 0;
  for await (const chunk of r.body) {
    rHash.update(chunk);
    rGot += chunk.length;
  }
  const range = { status: r.status, contentRange: r.headers.get("content-range"), bytes: rGot };
  const rangeExpected = rangeHash.digest("hex");
  const rangeGot = rHash.digest("hex");
  console.log(
    `range ${range.status} ${range.contentRange} ${rGot} bytes\n  expected sha256 ${rangeExpected}\n  got      sha256 ${rangeGot}`,
  );

  enter("after (2 s idle)");
  await new Promise((res) => setTimeout(res, 2000));
  enter("end");
  clearInterval(sampler);
  clearTimeout(deadline);
  console.log("\nworkerd VmRSS (MiB, all workerd processes of this worktree):");
  for (const p of phases) {
    if (p.samples)
      console.log(
        `  ${p.name.padEnd(18)} min ${p.min.toFixed(0).padStart(5)}  max ${p.max.toFixed(0).padStart(5)}  (${p.samples} samples)`,
      );
  }
  const okAll =
    whole.downloads.every(
      (d) => d.sha256Downloaded === whole.sha256Stored && d.sha256Decrypted === whole.sha256Plain && d.bytes === STORED,
    ) &&
    rangeExpected === rangeGot &&
    range.status === 206;
  console.log(`\n${okAll ? "OK" : "MISMATCH"} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(okAll ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
