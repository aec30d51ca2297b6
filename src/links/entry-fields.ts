// The entry inputs shared by the calls that create or replace an entry (url, urls, file,
// file_part_finalize), and what they write. One definition, so the four calls cannot drift apart.
import { z } from "zod";
import { int64, intIn } from "../api/fields";
import { qrInput } from "../qr/options";
import type { EntryWrite } from "./entry-store";

const text = z.string({ error: "must be a string" });

/** expiration_count: 0 means no click limit. */
export const expirationCount = intIn(0, Number.MAX_SAFE_INTEGER);

/** Where and how long an entry lives, and its QR code. */
export const entryInput = {
  expiration_utime: int64.optional(),
  tag: int64.optional(),
  expiration_count: expirationCount.optional(),
  host: text.optional(),
  qr: qrInput,
};

/** Which code to take or replace (url, file, file_part_finalize; not urls). */
export const shortRefInput = {
  code: text.optional(),
  shorturl: text.optional(),
};

/** The EntryWrite fields of entryInput (absent ones keep their values on a replace). */
export function entryWriteOf(input: {
  tag?: bigint | undefined;
  expiration_utime?: bigint | undefined;
  expiration_count?: number | undefined;
}): EntryWrite {
  return { tag: input.tag, expirationUtime: input.expiration_utime, expirationCount: input.expiration_count };
}
