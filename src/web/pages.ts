// The pages for people: the home page (shorten, share a file, list of links) and the download page
// of an encrypted file. The HTML is static; the scripts from /-/static/ bring it to life. Every
// input and control has a stable id that the browser tests (test/e2e/) drive.
import { html } from "hono/html";
import { assetUrl, renderPage } from "./layout";

function script(name: string) {
  return html`<script type="module" src="${assetUrl(name)}"></script>`;
}

const NOSCRIPT = html`<noscript><p class="error">This page needs JavaScript: it talks to the ww7 API and encrypts files in your browser.</p></noscript>`;

export function homePage() {
  return renderPage({
    title: "Shorten links, share files",
    head: script("home.js"),
    frame: "plain",
    body: html`${NOSCRIPT}
<section class="card" aria-labelledby="shorten-title">
<h1 id="shorten-title">Shorten a link</h1>
<form id="shorten-form" novalidate>
<label for="url" class="sr-only">Long URL</label>
<div class="row">
<input id="url" name="url" type="url" inputmode="url" autocomplete="off" spellcheck="false" placeholder="https://example.com/long/link" required>
<button id="shorten-submit" type="submit">Shorten</button>
</div>
<p id="shorten-error" class="error" role="alert" hidden></p>
</form>
</section>

<section id="result" class="card result" aria-live="polite" hidden>
<div>
<h2>Your short link</h2>
<div class="short"><a id="short-url" href="/" rel="noopener"></a><button id="copy" class="secondary" type="button">Copy</button></div>
<p id="result-note" class="muted small"></p>
</div>
<img id="qr" class="qr" alt="QR code of the short link" width="168" height="168" hidden>
</section>

<section class="card" aria-labelledby="file-title">
<h2 id="file-title">Share a file</h2>
<form id="file-form" novalidate>
<label for="file">File</label>
<input id="file" name="file" type="file" required>
<label for="file-password">Password <span class="muted">(optional)</span></label>
<input id="file-password" name="password" type="password" autocomplete="new-password" placeholder="Empty: no encryption">
<p class="hint">With a password, the file is encrypted in this browser (AES-256-GCM) before it is sent. Nobody can open it without the password, not even ww7: send it separately.</p>
<div class="actions"><button id="file-submit" type="submit">Upload and get a link</button></div>
<p id="file-error" class="error" role="alert" hidden></p>
</form>
</section>

<section class="card" aria-labelledby="links-title">
<h2 id="links-title">Your links</h2>
<p id="links-empty" class="muted">Links and files you share from this browser appear here. They belong to a temporary account kept in this browser.</p>
<ul id="links" class="links"></ul>
</section>`,
  });
}

export function downloadPage(shorturl: string) {
  return renderPage({
    title: "Encrypted file",
    head: script("download.js"),
    body: html`<div id="download" data-shorturl="${shorturl}">
<div class="lock"><div class="lock-icon"><img src="${assetUrl("lock.svg")}" alt="" width="28" height="28"></div><div>
<h1>An encrypted file was shared with you</h1>
<p class="muted">Enter the password you were given. The file is decrypted in this browser: the password is never sent anywhere.</p>
</div></div>
${NOSCRIPT}
<form id="unlock" novalidate>
<label for="password">Password</label>
<div class="row">
<input id="password" name="password" type="password" autocomplete="off" required>
<button id="unlock-submit" type="submit">Decrypt and download</button>
</div>
</form>
<p id="status" class="status" role="status"></p>
<p id="error" class="error" role="alert" hidden></p>
<div id="done" hidden>
<p class="done">Saved <span id="filename"></span> (<span id="filesize"></span>).</p>
<button id="again" class="secondary" type="button">Save it again</button>
</div>
<p class="small muted meta">Short link: <code>${shorturl}</code></p>
</div>`,
  });
}
