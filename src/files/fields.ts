// Input fields of the file calls (CONTRACT.md "Files").
import { z } from "zod";
import { sha256Hex } from "../accounts/secrets";
import { invalidInput } from "../api/errors";
import { hex } from "../api/fields";

const encoder = new TextEncoder();

/**
 * A file name: 1 to 255 bytes of UTF-8 (as most file systems allow), no path separators or
 * control characters, not "." or "..". It is part of the R2 key and of download URLs.
 */
export const filename = z
  .string({ error: "must be a string" })
  .min(1, "must not be empty")
  .refine((s) => encoder.encode(s).byteLength <= 255, "must be at most 255 bytes of UTF-8")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  .refine((s) => !/[/\\\u0000-\u001f\u007f]/.test(s), "may not contain / or \\ or control characters")
  .refine((s) => s !== "." && s !== "..", 'may not be "." or ".."');

/** A MIME type, or "" (null and absent too: the examples' mimetypes.guess_type may give None). */
export const filetype = z
  .string({ error: "must be a string" })
  .max(255, "must be at most 255 characters")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "may not contain control characters");

export const encryption = z.union([z.literal(0), z.literal(1)], { error: "must be 0 or 1" });

/** The fields of encryption that file and file_part_finalize take. */
export const encryptionInput = {
  encryption: encryption.optional(),
  challenge: hex(32).optional(),
  signature: hex(88).optional(),
};

export interface EncryptionWrite {
  encryption: number;
  signature: string;
  challengeHash: string;
}

/**
 * The stored encryption fields: for encryption 1, challenge and signature are required and only
 * SHA-256 of the challenge is kept; for 0 they are ignored.
 */
export async function encryptionWrite(input: {
  encryption?: 0 | 1 | undefined;
  challenge?: string | undefined;
  signature?: string | undefined;
}): Promise<EncryptionWrite> {
  if (input.encryption !== 1) return { encryption: 0, signature: "", challengeHash: "" };
  if (input.challenge === undefined) throw invalidInput("challenge", "challenge is required for an encrypted file.");
  if (input.signature === undefined) throw invalidInput("signature", "signature is required for an encrypted file.");
  return { encryption: 1, signature: input.signature, challengeHash: await sha256Hex(input.challenge) };
}
