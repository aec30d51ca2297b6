// zod validation turned into invalid_input errors that name the field (CONTRACT.md).
import { z } from "zod";
import { ApiError, invalidInput } from "./errors";

/** `null` means absent: drop null-valued keys of objects, at any depth, before validation. */
export function withoutNulls(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== null) out[k] = deepWithoutNulls(v);
  return out;
}

function deepWithoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deepWithoutNulls);
  return isPlainObject(v) ? withoutNulls(v) : v;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// Messages read after the field's name: "count must be at most 1000."
const EXPECTED: Record<string, string> = {
  string: "must be a string",
  number: "must be a number",
  int: "must be an integer",
  boolean: "must be true or false",
  object: "must be an object",
  array: "must be a list",
  bigint: "must be an integer",
};
z.config({
  customError: (iss) => {
    switch (iss.code) {
      case "invalid_type":
        return EXPECTED[iss.expected] ?? `must be of type ${iss.expected}`;
      case "too_small":
        if (iss.origin === "string") return `must be at least ${iss.minimum} characters`;
        if (iss.origin === "array") return `must hold at least ${iss.minimum} items`;
        return `must be at least ${iss.minimum}`;
      case "too_big":
        if (iss.origin === "string") return `must be at most ${iss.maximum} characters`;
        if (iss.origin === "array") return `must hold at most ${iss.maximum} items`;
        return `must be at most ${iss.maximum}`;
      case "invalid_value":
        return `must be one of ${iss.values.map((v) => JSON.stringify(String(v))).join(", ")}`;
      case "invalid_format":
        return "has the wrong format";
      default:
        return undefined;
    }
  },
});

type Path = ReadonlyArray<PropertyKey>;

export function fieldName(path: Path): string {
  let s = "";
  for (const p of path) {
    if (typeof p === "number") s += `[${p}]`;
    else s += s === "" ? String(p) : `.${String(p)}`;
  }
  return s;
}

function valueAt(root: unknown, path: Path): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

export function validateInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  if (!isPlainObject(raw)) throw new ApiError("invalid_input", "The input must be a JSON object.");
  const input = withoutNulls(raw);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new ApiError("invalid_input", "The input is not valid.");
  const field = fieldName(issue.path);
  const what = field === "" ? "The input" : field;
  const missing = issue.path.length > 0 && valueAt(input, issue.path) === undefined;
  throw invalidInput(field, missing ? `${what} is required.` : `${what} ${issue.message}.`);
}
