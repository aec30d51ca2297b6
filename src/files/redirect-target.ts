// Where the short link of a file leads (called by the redirect for entries with a filekey, after
// the click was admitted and counted): a plain file to a signed, expiring download URL; an
// encrypted file to the download page, with the signature in the URL fragment (never sent to a
// server), where the browser asks for the password.
import type { Entry } from "../links/entry-store";
import type { Settings } from "../settings";
import { signedDownloadUrl } from "./download-url";

/** Path of the download page of an encrypted file (the page itself is the web issue's). */
export function filePagePath(host: string, code: string): string {
  return `/-/file/${encodeURIComponent(host)}/${encodeURIComponent(code)}`;
}

/**
 * The absolute Location for a file entry. `origin` is the request's own origin; PUBLIC_ORIGIN,
 * when set, wins.
 */
export async function fileRedirectLocation(
  env: Cloudflare.Env,
  settings: Settings,
  origin: string,
  entry: Pick<Entry, "filekey" | "url" | "encryption" | "signature" | "host" | "code">,
  nowUs: number,
): Promise<string> {
  const base = settings.publicOrigin || origin;
  if (entry.encryption === 1) return `${base}${filePagePath(entry.host, entry.code)}#${entry.signature}`;
  const { url } = await signedDownloadUrl(env, settings, base, { filekey: entry.filekey, filename: entry.url }, nowUs);
  return url;
}
