// Signed download URLs: GET <origin>/-/download/<filekey>/<filename>?exp=<µs>&sig=<hex>.
// sig = hex(HMAC-SHA256(DOWNLOAD_SIGNING_SECRET, "ww7-download\n<filekey>\n<exp>")). The file name
// in the path is only for the tools that name a saved file after the URL; the bytes are found by
// the file key. The owner's userid is not in the URL: for a temporary account it is the credential.
import { fromHex, toHex } from "../accounts/secrets";
import type { Settings } from "../settings";

export const DOWNLOAD_PREFIX = "/-/download/";

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  if (!secret || secret.length < 16) throw new Error("setting DOWNLOAD_SIGNING_SECRET must be at least 16 characters");
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

function message(filekey: string, expUs: string): Uint8Array {
  return encoder.encode(`ww7-download\n${filekey}\n${expUs}`);
}

export async function signDownload(secret: string, filekey: string, expUs: bigint): Promise<string> {
  return toHex(await crypto.subtle.sign("HMAC", await hmacKey(secret), message(filekey, expUs.toString())));
}

/** True when `sig` is the signature of filekey and exp (compared in constant time by WebCrypto). */
export async function verifyDownload(secret: string, filekey: string, expText: string, sig: string): Promise<boolean> {
  if (!/^[0-9a-f]{64}$/i.test(sig) || !/^[0-9]{1,19}$/.test(expText)) return false;
  return crypto.subtle.verify("HMAC", await hmacKey(secret), fromHex(sig), message(filekey, expText));
}

export interface SignedUrl {
  url: string;
  /** when the URL stops working, µs */
  expireUtime: bigint;
}

/** A download URL for a file, valid for the configured lifetime from `nowUs`. */
export async function signedDownloadUrl(
  env: Cloudflare.Env,
  settings: Settings,
  origin: string,
  file: { filekey: string; filename: string },
  nowUs: number,
): Promise<SignedUrl> {
  const expireUtime = BigInt(nowUs) + BigInt(settings.downloadUrlLifetimeS) * 1_000_000n;
  const sig = await signDownload(env.DOWNLOAD_SIGNING_SECRET, file.filekey, expireUtime);
  const base = settings.publicOrigin || origin;
  const url = `${base}${DOWNLOAD_PREFIX}${file.filekey}/${encodeURIComponent(file.filename)}?exp=${expireUtime}&sig=${sig}`;
  return { url, expireUtime };
}
