// The home page: shorten a URL, share a file (optionally encrypted here with a password), show the
// short URL with a copy button and its QR code, and list the links made from this browser. The
// browser keeps a temporary account (the reference's "for the web interface") in localStorage.
import { CHALLENGE_BYTES, encryptFile } from "../crypto";
import { ApiCallError, call, callMultipart } from "./api";
import { busy, byId, copyText, el, formatBytes, hide, show } from "./dom";

const USERID_KEY = "ww7.userid";
const LIST_COUNT = 20;

interface QrCode {
  format: string;
  image: string;
  encoding: string;
}

interface Entry {
  shorturl: string;
  url: string;
  count: number;
  count_qr: number;
  encryption: number;
  filesize: number;
  qrcode?: QrCode;
}

// ---- the temporary account ---------------------------------------------------------------------

function storedUserid(): string | null {
  try {
    return localStorage.getItem(USERID_KEY);
  } catch {
    return null;
  }
}

async function newUserid(): Promise<string> {
  const { userid } = await call<{ userid: string }>("temporary_account", {});
  try {
    localStorage.setItem(USERID_KEY, userid);
  } catch {
    // Storage refused (private mode): the account lasts as long as the page.
  }
  memoryUserid = userid;
  return userid;
}

let memoryUserid: string | null = null;

async function userid(): Promise<string> {
  return storedUserid() ?? memoryUserid ?? newUserid();
}

/** Runs a call as this browser's account; an account that expired is replaced once. */
async function asUser<T>(run: (userid: string) => Promise<T>): Promise<T> {
  try {
    return await run(await userid());
  } catch (err) {
    if (err instanceof ApiCallError && (err.code === "unauthorized" || err.field === "userid")) {
      return run(await newUserid());
    }
    throw err;
  }
}

// ---- showing a result --------------------------------------------------------------------------

const result = byId("result");
const shortLink = byId<HTMLAnchorElement>("short-url");
const resultNote = byId("result-note");
const qr = byId<HTMLImageElement>("qr");
const copyButton = byId<HTMLButtonElement>("copy");

function qrDataUrl(code: QrCode): string | null {
  // An <img> with a data: URL: the SVG cannot run script or touch the page, unlike inline markup.
  if (code.format === "svg" && code.encoding === "utf8") {
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(code.image)}`;
  }
  if (code.format === "png" && code.encoding === "base64" && /^[A-Za-z0-9+/=]+$/.test(code.image)) {
    return `data:image/png;base64,${code.image}`;
  }
  return null;
}

function showResult(entry: Entry, note: string): void {
  shortLink.href = entry.shorturl;
  shortLink.textContent = entry.shorturl;
  resultNote.textContent = note;
  copyButton.textContent = "Copy";
  const src = entry.qrcode ? qrDataUrl(entry.qrcode) : null;
  if (src) {
    qr.src = src;
    show(qr);
  } else {
    qr.removeAttribute("src");
    hide(qr);
  }
  show(result);
  result.scrollIntoView({ behavior: "smooth", block: "nearest" });
}

copyButton.addEventListener("click", async () => {
  const copied = await copyText(shortLink.textContent ?? "", shortLink);
  copyButton.textContent = copied ? "Copied" : "Press Ctrl+C";
});

// ---- shortening --------------------------------------------------------------------------------

const shortenForm = byId<HTMLFormElement>("shorten-form");
const urlInput = byId<HTMLInputElement>("url");
const shortenError = byId("shorten-error");

shortenForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  hide(shortenError);
  const url = urlInput.value.trim();
  if (url === "") {
    show(shortenError, "Paste a link to shorten.");
    urlInput.focus();
    return;
  }
  const button = byId<HTMLButtonElement>("shorten-submit");
  busy(button, "Shortening…");
  try {
    const { entry } = await asUser((id) => call<{ entry: Entry }>("url", { userid: id, url, qr: { format: "svg" } }));
    showResult(entry, `Opens ${entry.url}`);
    urlInput.value = "";
    void refreshList();
  } catch (err) {
    show(shortenError, messageOf(err));
  } finally {
    busy(button, null);
  }
});

// ---- sharing a file ----------------------------------------------------------------------------

const fileForm = byId<HTMLFormElement>("file-form");
const fileInput = byId<HTMLInputElement>("file");
const passwordInput = byId<HTMLInputElement>("file-password");
const fileError = byId("file-error");

fileForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  hide(fileError);
  const file = fileInput.files?.[0];
  if (!file) {
    show(fileError, "Choose a file to share.");
    return;
  }
  const password = passwordInput.value;
  const button = byId<HTMLButtonElement>("file-submit");
  try {
    const input: Record<string, unknown> = {
      filename: file.name,
      filesize: file.size,
      filetype: file.type || null,
      qr: { format: "svg" },
    };
    let body: Blob = file;
    if (password !== "") {
      busy(button, "Encrypting…");
      const encrypted = await encryptFile(new Uint8Array(await file.arrayBuffer()), password);
      if (encrypted.challenge.length !== 2 * CHALLENGE_BYTES) throw new Error("bad challenge");
      Object.assign(input, { encryption: 1, challenge: encrypted.challenge, signature: encrypted.signature });
      body = new Blob([encrypted.stored], { type: "application/octet-stream" });
    }
    busy(button, "Uploading…");
    const { entry } = await asUser((id) =>
      callMultipart<{ entry: Entry }>("file", { ...input, userid: id }, body, file.name),
    );
    showResult(
      entry,
      password !== ""
        ? `${file.name} (${formatBytes(file.size)}), encrypted in this browser. Send the password separately: it is not stored anywhere.`
        : `${file.name} (${formatBytes(file.size)}). Anyone with the link can download it.`,
    );
    fileForm.reset();
    void refreshList();
  } catch (err) {
    show(fileError, messageOf(err));
  } finally {
    busy(button, null);
  }
});

// ---- the list of links -------------------------------------------------------------------------

const list = byId<HTMLUListElement>("links");
const listEmpty = byId("links-empty");

function entryItem(entry: Entry): HTMLLIElement {
  const link = el("a", { href: entry.shorturl, textContent: entry.shorturl.replace(/^https?:\/\//, "") });
  const copy = el("button", { type: "button", className: "small", textContent: "Copy" });
  copy.addEventListener("click", async () => {
    copy.textContent = (await copyText(entry.shorturl, link)) ? "Copied" : "Press Ctrl+C";
  });
  const isFile = entry.filesize >= 0;
  const target = isFile
    ? `${entry.encryption ? "Encrypted file" : "File"}: ${entry.url} · ${formatBytes(entry.filesize)}`
    : entry.url;
  const clicks = entry.count + entry.count_qr;
  return el(
    "li",
    {},
    el("div", { className: "link-main" }, link, copy),
    el("div", { className: "link-target", textContent: target, title: entry.url }),
    el("div", { className: "link-meta", textContent: `${clicks} click${clicks === 1 ? "" : "s"}` }),
  );
}

async function refreshList(): Promise<void> {
  const id = storedUserid() ?? memoryUserid;
  if (!id) return;
  try {
    const { entries } = await call<{ entries: Entry[] }>("get_entries", { userid: id, count: LIST_COUNT });
    list.replaceChildren(...entries.map(entryItem));
    if (entries.length > 0) hide(listEmpty);
    else show(listEmpty);
  } catch {
    // The list is a convenience: leave it as it was.
  }
}

function messageOf(err: unknown): string {
  if (err instanceof ApiCallError) return err.message;
  return "Something went wrong in this browser. Reload the page and try again.";
}

document.documentElement.dataset.ready = "home";
void refreshList();
