// File calls: file (one streamed body), file_part_initialize / file_part_upload /
// file_part_finalize (an R2 multipart upload tracked in D1), get_signature and
// get_protected_file_info (encrypted files). CONTRACT.md "Files"; decisions in docs/files.md.
import { z } from "zod";
import { randomAlnum } from "../accounts/secrets";
import { ApiError, invalidInput, notFound } from "../api/errors";
import { credentials, filekey, hex, intIn } from "../api/fields";
import { type AccountContext, type CallContext, defineCall, fixed } from "../api/registry";
import { parseShortUrl, resolveShortRef } from "../links/codes";
import { entryInput, entryWriteOf, shortRefInput } from "../links/entry-fields";
import { entryOutput } from "../links/entry-output";
import { type Entry, type EntryWrite, findCodeAvailable, findEntry, putEntry } from "../links/entry-store";
import type { QrOptions } from "../qr/options";
import { qrcodeExtra } from "../qr/qrcode";
import { checkChallenge } from "./challenge";
import { signedDownloadUrl } from "./download-url";
import { encryptionInput, encryptionWrite, filename, filetype } from "./fields";
import { deleteStoredFile, storageKey } from "./storage-key";
import { type SizeProblem, streamExactly } from "./stream-bytes";
import {
  checkEncryptedSize,
  checkPart,
  checkParts,
  fileWeight,
  MAX_FILE_BYTES,
  MAX_PART_BYTES,
  MAX_PART_NUMBER,
  MAX_SINGLE_UPLOAD_BYTES,
  sizeMismatch,
  storedSize,
  uploadExpirationUs,
} from "./upload-rules";
import {
  abortR2Upload,
  claimUpload,
  deleteParts,
  findOwnUpload,
  insertUpload,
  listParts,
  recordPart,
} from "./uploads-store";

function sizeError(field: "filesize" | "partsize", declared: number, problem: SizeProblem): ApiError {
  if (problem === "broken") return invalidInput("file", "The upload ended before the whole file part arrived.");
  return sizeMismatch(field, declared, problem);
}

type EntryFields = Parameters<typeof entryWriteOf>[0] & { qr?: QrOptions | undefined };

/**
 * Creates (or replaces) the entry of a file whose bytes are stored under `key`. If the entry cannot
 * be written the bytes are deleted; the bytes of a file it replaces are deleted too.
 */
async function commitFileEntry(
  c: AccountContext,
  ref: { host: string; code: string | null },
  key: string,
  write: EntryWrite,
  input: EntryFields,
): Promise<Record<string, unknown>> {
  let put: Awaited<ReturnType<typeof putEntry>>;
  try {
    put = await putEntry(c, ref.host, ref.code, { ...write, ...entryWriteOf(input) });
  } catch (err) {
    await c.env.FILES.delete(key);
    throw err;
  }
  const previous = put.previous;
  if (previous && previous.filekey !== "" && previous.filekey !== write.filekey) {
    await deleteStoredFile(c.env.FILES, previous);
  }
  return { entry: entryOutput(put.entry, 0, qrcodeExtra(put.entry, input.qr)) };
}

export const file = defineCall({
  type: "file",
  summary: "Upload a file in one multipart body (query part first) and create its short link.",
  input: z.object({
    ...credentials,
    filename,
    filesize: intIn(0, MAX_FILE_BYTES),
    filetype: filetype.optional(),
    ...encryptionInput,
    ...entryInput,
    ...shortRefInput,
  }),
  auth: "account",
  weight: (input) => fileWeight(input.filesize),
  body: "multipart",
  notInMulti: true,
  async handler(c, input) {
    const userid = c.user.userid;
    const enc = await encryptionWrite(input);
    checkEncryptedSize(input.filesize, enc.encryption);
    const expected = storedSize(input.filesize, enc.encryption);
    if (expected > MAX_SINGLE_UPLOAD_BYTES) {
      throw new ApiError(
        "too_large",
        `file takes at most ${MAX_SINGLE_UPLOAD_BYTES} bytes in one body; use file_part_initialize for larger files.`,
        { field: "filesize" },
      );
    }
    const ref = resolveShortRef(input, c.settings.shortHosts);
    if (ref.code !== null) await findCodeAvailable(c, ref.host, ref.code);
    if (!c.upload) throw invalidInput("file", "The multipart body has no file part.");

    const key = randomKey(userid, input.filename);
    const stored = await streamExactly(c.upload.body, expected, (body) => c.env.FILES.put(key.key, body));
    if (!stored.ok) {
      // R2 does not complete a write of the wrong length; make sure of it.
      await c.env.FILES.delete(key.key);
      throw sizeError("filesize", input.filesize, stored.problem);
    }
    return commitFileEntry(
      c,
      ref,
      key.key,
      {
        url: input.filename,
        filekey: key.filekey,
        filesize: input.filesize,
        filetype: input.filetype ?? "",
        ...enc,
      },
      input,
    );
  },
});

function randomKey(userid: string, name: string): { filekey: string; key: string } {
  const fk = randomAlnum(32);
  return { filekey: fk, key: storageKey(userid, fk, name) };
}

export const filePartInitialize = defineCall({
  type: "file_part_initialize",
  summary: "Start a multipart upload (for files beyond one request); returns its filekey.",
  input: z.object({ ...credentials, filename, filesize: intIn(0, MAX_FILE_BYTES), filetype: filetype.optional() }),
  auth: "account",
  weight: fixed(1000),
  async handler(c, input) {
    const userid = c.user.userid;
    const key = randomKey(userid, input.filename);
    const expirationUtime = uploadExpirationUs(c.nowUs, input.filesize);
    const mpu = await c.env.FILES.createMultipartUpload(key.key);
    try {
      await insertUpload(c.db, {
        filekey: key.filekey,
        userid,
        filename: input.filename,
        filesize: input.filesize,
        filetype: input.filetype ?? "",
        r2Key: key.key,
        r2UploadId: mpu.uploadId,
        createUtime: c.nowUs,
        expirationUtime,
      });
    } catch (err) {
      await mpu.abort().catch(() => {});
      throw err;
    }
    return { expiration_utime: expirationUtime, filekey: key.filekey };
  },
});

/** The caller's upload in progress; 404 for another user's or an unknown filekey, 410 past its time. */
async function liveUpload(c: AccountContext, key: string) {
  const upload = await findOwnUpload(c.db, c.user.userid, key);
  if (!upload) {
    const done = await c.db.query.entries.findFirst({
      columns: { userid: true },
      where: (e, { eq, and }) => and(eq(e.filekey, key), eq(e.userid, c.user.userid)),
    });
    if (done) throw new ApiError("conflict", "This upload was already finalized.", { field: "filekey" });
    throw notFound("There is no upload in progress with this filekey among yours.", "filekey");
  }
  if (upload.expirationUtime <= BigInt(c.nowUs)) {
    if (await claimUpload(c.db, upload.filekey)) await abortR2Upload(c.env, c.db, upload);
    throw new ApiError("expired", "This upload was not finalized in time and has been aborted.", {
      field: "filekey",
    });
  }
  return upload;
}

export const filePartUpload = defineCall({
  type: "file_part_upload",
  summary: "Send one part of a multipart upload (multipart body, query part first).",
  input: z.object({
    ...credentials,
    filekey,
    partnumber: intIn(1, MAX_PART_NUMBER),
    partsize: intIn(1, MAX_PART_BYTES),
  }),
  auth: "account",
  weight: fixed(1250),
  body: "multipart",
  notInMulti: true,
  async handler(c, input) {
    const upload = await liveUpload(c, input.filekey);
    checkPart(input.partnumber, input.partsize, upload.filesize);
    if (!c.upload) throw invalidInput("file", "The multipart body has no file part.");
    const mpu = c.env.FILES.resumeMultipartUpload(upload.r2Key, upload.r2UploadId);
    const sent = await streamExactly(c.upload.body, input.partsize, (body) => mpu.uploadPart(input.partnumber, body));
    if (!sent.ok) throw sizeError("partsize", input.partsize, sent.problem);
    await recordPart(c.db, upload.filekey, input.partnumber, input.partsize, sent.value.etag);
    return { filekey: upload.filekey, partnumber: input.partnumber, partsize: input.partsize };
  },
});

export const filePartFinalize = defineCall({
  type: "file_part_finalize",
  summary: "Assemble the parts of a multipart upload and create the file's short link.",
  input: z.object({ ...credentials, filekey, ...encryptionInput, ...entryInput, ...shortRefInput }),
  auth: "account",
  weight: fixed(1000),
  async handler(c, input) {
    const upload = await liveUpload(c, input.filekey);
    const enc = await encryptionWrite(input);
    checkEncryptedSize(upload.filesize, enc.encryption);
    const expected = storedSize(upload.filesize, enc.encryption);
    const parts = await listParts(c.db, upload.filekey);
    // A failed check leaves the upload open: the missing part can still be sent before it expires.
    checkParts(parts, expected);
    const ref = resolveShortRef(input, c.settings.shortHosts);
    if (ref.code !== null) await findCodeAvailable(c, ref.host, ref.code);

    // One finalize wins; a second one at the same time finds the upload claimed.
    if (!(await claimUpload(c.db, upload.filekey))) {
      throw new ApiError("conflict", "This upload is already being finalized.", { field: "filekey" });
    }
    try {
      const mpu = c.env.FILES.resumeMultipartUpload(upload.r2Key, upload.r2UploadId);
      const object = await mpu.complete(parts.map((p) => ({ partNumber: p.partnumber, etag: p.etag })));
      if (object.size !== expected) {
        await c.env.FILES.delete(upload.r2Key);
        throw new Error(`assembled ${object.size} bytes, expected ${expected}`);
      }
    } catch (err) {
      // Give the upload back so that it can be finalized again, or aborted when it expires.
      await insertUpload(c.db, upload);
      throw err instanceof ApiError
        ? err
        : new ApiError("internal", "The parts could not be assembled; please finalize again.");
    }
    await deleteParts(c.db, upload.filekey);
    return commitFileEntry(
      c,
      ref,
      upload.r2Key,
      {
        url: upload.filename,
        filekey: upload.filekey,
        filesize: upload.filesize,
        filetype: upload.filetype,
        ...enc,
      },
      input,
    );
  },
});

/** The enabled, unexpired encrypted file at a short URL; anything else is 404. */
async function encryptedFileAt(c: CallContext, shorturl: string): Promise<Entry> {
  const ref = parseShortUrl(shorturl, c.settings.shortHosts, "shorturl");
  const entry = await findEntry(c.db, ref.host, ref.code);
  if (!entry?.enabled || entry.filekey === "" || entry.encryption !== 1 || entry.expirationUtime <= BigInt(c.nowUs)) {
    throw notFound("There is no encrypted file at this short URL.", "shorturl");
  }
  return entry;
}

const shorturlInput = z.string({ error: "must be a string" });

export const getSignature = defineCall({
  type: "get_signature",
  summary: "The signature of an encrypted file (decrypting it with the password gives the challenge).",
  input: z.object({ shorturl: shorturlInput }),
  auth: "none",
  weight: fixed(0),
  async handler(c, input) {
    const entry = await encryptedFileAt(c, input.shorturl);
    return { signature: entry.signature };
  },
});

export const getProtectedFileInfo = defineCall({
  type: "get_protected_file_info",
  summary: "Given the right challenge, the details and a signed download URL of an encrypted file.",
  input: z.object({ shorturl: shorturlInput, challenge: hex(32) }),
  auth: "none",
  weight: fixed(0),
  async handler(c, input) {
    const entry = await encryptedFileAt(c, input.shorturl);
    await checkChallenge(c, entry, input.challenge);
    const { url, expireUtime } = await signedDownloadUrl(
      c.env,
      c.settings,
      c.origin,
      { filekey: entry.filekey, filename: entry.url },
      c.nowUs,
    );
    return {
      encryption: entry.encryption,
      filename: entry.url,
      filesize: entry.filesize,
      filetype: entry.filetype,
      url,
      url_expire_utime: expireUtime,
    };
  },
});

export const fileCalls = [
  file,
  filePartInitialize,
  filePartUpload,
  filePartFinalize,
  getSignature,
  getProtectedFileInfo,
];
