// The arithmetic of uploads (pure): sizes, weights, the parts of a multipart upload, the time an
// upload may take. CONTRACT.md "Files" and "Weights".
import { type ApiError, invalidInput } from "../api/errors";

/** The largest file `file` takes in one body (stored bytes): the Workers 100 MB request limit. */
export const MAX_SINGLE_UPLOAD_BYTES = 100_000_000;
/** The largest part `file_part_upload` takes: one request body too. */
export const MAX_PART_BYTES = MAX_SINGLE_UPLOAD_BYTES;
/** R2: every part but the last at least 5 MiB, all of one size. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PART_NUMBER = 10_000;
/** The largest R2 object (just under 5 TiB). */
export const MAX_FILE_BYTES = 5 * 1024 ** 4 - 5 * 1024 ** 3;
/** What encryption 1 adds: 4-byte length, 12-byte IV, 16-byte tag. */
export const ENCRYPTION_OVERHEAD_BYTES = 32;
/** The 4-byte little-endian length prefix of an encrypted file counts IV + ciphertext + tag. */
export const MAX_ENCRYPTED_FILESIZE = 0xffffffff - 28;

/** The bytes stored for a file of `filesize` bytes. */
export function storedSize(filesize: number, encryption: number): number {
  return encryption === 1 ? filesize + ENCRYPTION_OVERHEAD_BYTES : filesize;
}

/** Weight of `file`: 1000 + 100 per whole MB (10^6 bytes) of filesize (CONTRACT.md). */
export function fileWeight(filesize: number): number {
  return 1000 + 100 * Math.floor(Math.max(0, filesize) / 1_000_000);
}

/** The assumed slowest upload speed, bytes per second, and the grace on top. */
export const UPLOAD_BYTES_PER_S = 100_000;
export const UPLOAD_GRACE_S = 3600;

/** When a multipart upload started at `nowUs` must be finalized: 100 kB/s for filesize, plus an hour. */
export function uploadExpirationUs(nowUs: number, filesize: number): bigint {
  const seconds = BigInt(Math.ceil(filesize / UPLOAD_BYTES_PER_S) + UPLOAD_GRACE_S);
  return BigInt(nowUs) + seconds * 1_000_000n;
}

/** Checks the encryption's size limits for a file of `filesize` bytes. */
export function checkEncryptedSize(filesize: number, encryption: number): void {
  if (encryption === 1 && filesize > MAX_ENCRYPTED_FILESIZE) {
    throw invalidInput(
      "filesize",
      `An encrypted file may be at most ${MAX_ENCRYPTED_FILESIZE} bytes (its length prefix has 4 bytes).`,
    );
  }
}

/** A single part as `file_part_upload` receives it, checked against what the upload may hold. */
export function checkPart(partnumber: number, partsize: number, filesize: number): void {
  // The upload's stored size is not known until finalize (encryption adds 32 bytes).
  const largest = filesize + ENCRYPTION_OVERHEAD_BYTES;
  if (partsize > largest) {
    throw invalidInput("partsize", `partsize may not exceed the file's size (${largest} bytes with encryption).`);
  }
  if ((partnumber - 1) * MIN_PART_BYTES >= largest) {
    throw invalidInput(
      "partnumber",
      `partnumber ${partnumber} is out of range: parts before it (at least ${MIN_PART_BYTES} bytes each) would already exceed the file.`,
    );
  }
}

export interface PartRow {
  partnumber: number;
  partsize: number;
}

/**
 * Checks that the parts received make the whole file: numbered 1..N without a gap, all but the
 * last of one size of at least 5 MiB, the last no larger, `expected` bytes in all.
 */
export function checkParts(parts: readonly PartRow[], expected: number): void {
  const sorted = [...parts].sort((a, b) => a.partnumber - b.partnumber);
  if (sorted.length === 0) throw invalidInput("filekey", "No part of this upload has been received.");
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i] as PartRow;
    if (p.partnumber !== i + 1) {
      throw invalidInput("partnumber", `Part ${i + 1} is missing.`);
    }
  }
  const first = sorted[0] as PartRow;
  const last = sorted[sorted.length - 1] as PartRow;
  if (sorted.length > 1) {
    const size = first.partsize;
    if (size < MIN_PART_BYTES) {
      throw invalidInput("partsize", `Every part but the last must be at least ${MIN_PART_BYTES} bytes.`);
    }
    for (const p of sorted.slice(0, -1)) {
      if (p.partsize !== size) {
        throw invalidInput(
          "partsize",
          `Every part but the last must have the same size (part 1 has ${size} bytes, part ${p.partnumber} ${p.partsize}).`,
        );
      }
    }
    if (last.partsize > size) {
      throw invalidInput("partsize", `The last part may not be larger than the others (${size} bytes).`);
    }
  }
  const total = sorted.reduce((sum, p) => sum + p.partsize, 0);
  if (total !== expected) {
    throw invalidInput(
      "filesize",
      `The parts hold ${total} bytes, but ${expected} were expected for this filesize and encryption.`,
    );
  }
}

/** The bytes of a body did not match what the call declared. */
export function sizeMismatch(field: "filesize" | "partsize", declared: number, problem: "short" | "long"): ApiError {
  const what = problem === "short" ? "fewer" : "more";
  return invalidInput(
    field,
    `The file part holds ${what} bytes than the ${declared} that ${field} (and encryption) declare.`,
  );
}
