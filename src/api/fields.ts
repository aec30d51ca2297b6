// Input field types shared by the calls (CONTRACT.md: null means absent, booleans accept 0/1,
// int64 exact, wrong types and ranges are invalid_input naming the field).
import { z } from "zod";
import { INT64_MAX } from "../db/int64";

const INT64_MIN = -(2n ** 63n);

/** int64 as a BigInt; accepts JSON integers of any size (lossless-json gives BigInt past 2^53). */
export const int64 = z
  .union([z.bigint(), z.number().int("must be an integer")], { error: "must be an integer" })
  .transform((v) => BigInt(v))
  .refine((v) => v >= INT64_MIN && v <= INT64_MAX, "must fit in a signed 64-bit integer")
  .meta({ type: "integer", format: "int64" });

/** A JS-number integer in [min, max]. BigInt inputs are out of range by construction. */
export const intIn = (min: number, max: number) =>
  z
    .number({ error: "must be an integer" })
    .int("must be an integer")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** Booleans, also 0 and 1. */
export const bool = z
  .union([z.boolean(), z.literal(0), z.literal(1)], { error: "must be true or false (or 1 or 0)" })
  .transform((v) => v === true || v === 1);

/** userid, token, filekey: 32 characters of [A-Za-z0-9] (CONTRACT.md). */
export const ALNUM32 = /^[A-Za-z0-9]{32}$/;
export const userid = z.string({ error: "must be a string" }).regex(ALNUM32, "must be 32 letters and digits");
export const token = z.string({ error: "must be a string" }).regex(ALNUM32, "must be 32 letters and digits");
export const filekey = z.string({ error: "must be a string" }).regex(ALNUM32, "must be 32 letters and digits");

/** A password already derived by the client: 64 hex characters (CONTRACT.md). */
export const password64 = z
  .string({ error: "must be a string" })
  .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hexadecimal characters")
  .transform((s) => s.toLowerCase());

export const hex = (length: number) =>
  z
    .string({ error: "must be a string" })
    .regex(new RegExp(`^[0-9a-fA-F]{${length}}$`), `must be ${length} hexadecimal characters`)
    .transform((s) => s.toLowerCase());

/** Fields every account-authenticated call takes. */
export const credentials = {
  userid,
  token: token.optional(),
};

export const EMAIL_MAX = 254;
export const email = z
  .string({ error: "must be a string" })
  .max(EMAIL_MAX, `must be at most ${EMAIL_MAX} characters`)
  // Pragmatic address check: one @, a non-empty local part without spaces, a dotted domain.
  .regex(
    /^[^\s@"<>(),;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/,
    "must be a valid email address",
  );

export const username = z
  .string({ error: "must be a string" })
  .min(1, "must not be empty")
  .max(32, "must be at most 32 characters")
  .regex(/^[A-Za-z0-9 ._-]+$/, "may contain only letters, digits, spaces and . _ -")
  .refine((s) => s.trim() === s, "must not start or end with a space");
