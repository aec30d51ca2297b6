// The download page of an encrypted file: /-/file/<host>/<code>#<signature>. The password never
// leaves this page: it unlocks the challenge (a wrong one fails here, before any request), the
// challenge unlocks the download URL (get_protected_file_info), and the bytes are decrypted here.
import { challengeFromSignature, DecryptError, decryptStoredFile, FormatError, fileKey } from "../crypto";
import { ApiCallError, call } from "./api";
import { busy, byId, formatBytes, hide, show } from "./dom";

interface ProtectedFileInfo {
  filename: string;
  filesize: number;
  filetype: string;
  url: string;
  url_expire_utime: number;
  encryption: number;
}

const root = byId("download");
const shorturl = root.dataset.shorturl ?? "";
const form = byId<HTMLFormElement>("unlock");
const passwordInput = byId<HTMLInputElement>("password");
const submit = byId<HTMLButtonElement>("unlock-submit");
const status = byId("status");
const error = byId("error");
const done = byId("done");
const again = byId<HTMLButtonElement>("again");

let saved: { url: string; filename: string } | null = null;

/** The signature from the fragment, or (a link shared without it) from get_signature. */
async function signature(): Promise<string> {
  const fromFragment = decodeURIComponent(location.hash.slice(1)).trim().toLowerCase();
  if (/^[0-9a-f]{88}$/.test(fromFragment)) return fromFragment;
  const out = await call<{ signature: string }>("get_signature", { shorturl });
  return out.signature;
}

function fail(message: string): void {
  status.textContent = "";
  show(error, message);
}

function save(url: string, filename: string): void {
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  hide(error);
  const password = passwordInput.value;
  if (password === "") {
    fail("Type the password you were given with the link.");
    passwordInput.focus();
    return;
  }
  busy(submit, "Checking…");
  try {
    const key = await fileKey(password);
    let challenge: string;
    try {
      challenge = await challengeFromSignature(await signature(), key);
    } catch (err) {
      if (err instanceof DecryptError) {
        fail("Wrong password: this file cannot be opened with it. Check the password and try again.");
        passwordInput.select();
        return;
      }
      throw err;
    }
    status.textContent = "Password accepted. Downloading…";
    const info = await call<ProtectedFileInfo>("get_protected_file_info", { shorturl, challenge });
    let response: Response;
    try {
      response = await fetch(info.url, { credentials: "omit" });
    } catch {
      throw new ApiCallError("network", "The file could not be downloaded. Check your connection and try again.");
    }
    if (!response.ok) {
      throw new ApiCallError(
        "download",
        response.status === 410
          ? "The download link expired before the file arrived. Try again."
          : `The file could not be downloaded (the server answered ${response.status}).`,
      );
    }
    busy(submit, "Decrypting…");
    status.textContent = `Decrypting ${info.filename} (${formatBytes(info.filesize)})…`;
    const plain = await decryptStoredFile(new Uint8Array(await response.arrayBuffer()), key);
    if (plain.byteLength !== info.filesize) {
      throw new FormatError("the decrypted size differs from the file's size");
    }
    if (saved) URL.revokeObjectURL(saved.url);
    const blob = new Blob([plain], { type: info.filetype || "application/octet-stream" });
    saved = { url: URL.createObjectURL(blob), filename: info.filename };
    save(saved.url, saved.filename);
    status.textContent = "";
    byId("filename").textContent = info.filename;
    byId("filesize").textContent = formatBytes(info.filesize);
    hide(form);
    show(done);
  } catch (err) {
    if (err instanceof ApiCallError) fail(err.message);
    else if (err instanceof DecryptError || err instanceof FormatError) {
      fail("The file arrived damaged and could not be decrypted. Nothing was saved. Try again later.");
    } else fail("Something went wrong in this browser. Reload the page and try again.");
  } finally {
    busy(submit, null);
  }
});

again.addEventListener("click", () => {
  if (saved) save(saved.url, saved.filename);
});

document.documentElement.dataset.ready = "download";
passwordInput.focus();
