// Codes and short URLs (pure). A generated code is 6 characters of [A-Za-z0-9]; a requested one
// 6 to 16.
import { randomAlnum } from "../accounts/secrets";
import { invalidInput } from "../api/errors";

export const GENERATED_CODE_LENGTH = 6;
export const CODE_PATTERN = /^[A-Za-z0-9]{6,16}$/;

export function generateCode(): string {
  return randomAlnum(GENERATED_CODE_LENGTH);
}

export function shortUrl(host: string, code: string): string {
  return `https://${host}/${code}`;
}

export interface ShortRef {
  host: string;
  code: string;
}

/**
 * A short URL given as input: http(s)://<configured host>/<code>. `field` names the input at
 * fault in the error.
 */
export function parseShortUrl(text: string, hosts: readonly string[], field: string): ShortRef {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidInput(field, `${field} must be a short URL such as https://${hosts[0]}/abc123.`);
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalidInput(field, `${field} must be an https URL.`);
  }
  if (!hosts.includes(host)) throw invalidInput(field, `${field} must be on one of the hosts ${hosts.join(", ")}.`);
  const code = url.pathname.slice(1);
  if (!CODE_PATTERN.test(code)) {
    throw invalidInput(field, `${field} must end in a code of 6 to 16 letters and digits.`);
  }
  return { host, code };
}

/** host/code/shorturl inputs of url, urls, file and file_part_finalize; shorturl wins. */
export function resolveShortRef(
  input: { host?: string | undefined; code?: string | undefined; shorturl?: string | undefined },
  hosts: readonly string[],
): { host: string; code: string | null } {
  if (input.shorturl !== undefined) return parseShortUrl(input.shorturl, hosts, "shorturl");
  const host = (input.host ?? hosts[0] ?? "").toLowerCase();
  if (!hosts.includes(host)) throw invalidInput("host", `host must be one of ${hosts.join(", ")}.`);
  if (input.code !== undefined && !CODE_PATTERN.test(input.code)) {
    throw invalidInput("code", "code must be 6 to 16 letters and digits.");
  }
  return { host, code: input.code ?? null };
}
