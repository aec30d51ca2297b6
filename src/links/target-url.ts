// The target of a short link (CONTRACT.md): an absolute http(s) URL of at most 8192 characters.
// `javascript:`, `data:`, relative URLs and every other scheme are refused, and so are whitespace
// and control characters, which a Location header could not carry as given. The URL is stored as
// sent (the reference echoes "https://en.wikipedia.org" without a slash); the redirect normalizes it.
import { z } from "zod";

export const TARGET_URL_MAX = 8192;

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const FORBIDDEN_CHARS = /[\u0000-\u0020\u007f]/;

export function isTargetUrl(text: string): boolean {
  if (text.length > TARGET_URL_MAX || FORBIDDEN_CHARS.test(text)) return false;
  if (!/^https?:\/\//i.test(text)) return false;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}

export const targetUrl = z
  .string({ error: "must be a string" })
  .max(TARGET_URL_MAX, `must be at most ${TARGET_URL_MAX} characters`)
  .refine(isTargetUrl, "must be an absolute http or https URL")
  .meta({ format: "uri" });
