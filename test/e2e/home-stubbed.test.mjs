// The home page's own behaviour with the API answered inside the browser (page.route), as
// CONTRACT.md says the API answers: what the page sends for an encrypted upload (a `query` part
// and bytes in the reference's format, which node's AES-GCM opens), how it shows a short URL with
// its QR code, and how it replaces an expired temporary account. The same flows against the real
// API are in links.test.mjs and files.test.mjs.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { nodeDecrypt, ORIGIN, openBrowser } from "./harness.mjs";

const QR_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29"><rect width="29" height="29" fill="#fff"/><path d="M3 3h7v7H3z" fill="#000"/><script>window.parent.pwned=1</script></svg>';

function entry(fields) {
  return {
    count: 0,
    count_qr: 0,
    enabled: true,
    encryption: 0,
    filesize: -1,
    filetype: "",
    shorturl: "https://ww7.io/AbC123",
    url: "https://example.com/",
    ...fields,
  };
}

/** Answers the API calls the home page makes; `calls` records each call's type and input. */
async function stubApi(page, { onCall }) {
  const calls = [];
  await page.route(`${ORIGIN}/v2/*`, async (route) => {
    const request = route.request();
    const type = new URL(request.url()).pathname.slice(4);
    const contentType = request.headers()["content-type"] ?? "";
    let input;
    let form = null;
    if (contentType.startsWith("multipart/form-data")) {
      form = await new Response(request.postDataBuffer(), { headers: { "content-type": contentType } }).formData();
      input = JSON.parse(form.get("query"));
    } else {
      input = JSON.parse(request.postData() ?? "{}");
    }
    calls.push({ type, input, form });
    const [status, body] = await onCall(type, input, form);
    await route.fulfill({ status, contentType: "application/json", body: JSON.stringify({ type, ...body }) });
  });
  return calls;
}

test("an encrypted upload sends the reference's format; the password and plain bytes stay in the browser", async () => {
  const b = await openBrowser();
  try {
    const original = randomBytes(70_000);
    const password = "hunter2 ✓";
    const calls = await stubApi(b.page, {
      onCall: async (type, input) => {
        if (type === "temporary_account") return [200, { status: "success", output: { userid: "U".repeat(32) } }];
        if (type === "get_entries") return [200, { status: "success", output: { entries: [] } }];
        if (type === "file") {
          const out = entry({
            encryption: 1,
            filesize: input.filesize,
            url: input.filename,
            signature: input.signature,
          });
          return [
            200,
            {
              status: "success",
              output: { entry: { ...out, qrcode: { format: "svg", image: QR_SVG, encoding: "utf8" } } },
            },
          ];
        }
        return [404, { status: "error", error: { code: "unknown_call", message: "no" } }];
      },
    });
    await b.page.goto(`${ORIGIN}/`);
    await b.page.waitForSelector("html[data-ready=home]");
    await b.page.setInputFiles("#file", { name: "data.bin", mimeType: "application/octet-stream", buffer: original });
    await b.page.fill("#file-password", password);
    await b.page.click("#file-submit");
    await b.page.waitForSelector("#result:not([hidden])");

    const upload = calls.find((c) => c.type === "file");
    assert.ok(upload, "the page called file");
    const query = upload.input;
    assert.equal(query.userid, "U".repeat(32));
    assert.equal(query.filename, "data.bin");
    assert.equal(query.filesize, original.length);
    assert.equal(query.filetype, "application/octet-stream");
    assert.equal(query.encryption, 1);
    assert.match(query.challenge, /^[0-9a-f]{32}$/);
    assert.match(query.signature, /^[0-9a-f]{88}$/);
    assert.equal(JSON.stringify(query).includes("hunter2"), false, "no password in the query");
    const part = [...upload.form.entries()].find(([name]) => name !== "query")[1];
    const stored = Buffer.from(await part.arrayBuffer());
    assert.equal(stored.length, original.length + 32);
    assert.equal(stored.readUInt32LE(0), stored.length - 4);
    assert.equal(nodeDecrypt(Buffer.from(query.signature, "hex"), password).toString("hex"), query.challenge);
    assert.ok(nodeDecrypt(stored.subarray(4), password).equals(original), "node opens what the page sealed");

    // The QR code is an image whose script cannot run (an <img>, never inline markup).
    await b.page.waitForSelector("#qr:not([hidden])");
    assert.match(await b.page.getAttribute("#qr", "src"), /^data:image\/svg\+xml;charset=utf-8,/);
    assert.equal(await b.page.evaluate(() => window.pwned), undefined);
    assert.match(await b.page.textContent("#result-note"), /encrypted in this browser/);
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});

test("shortening shows the short URL, its QR code and the list; API messages are shown as they are", async () => {
  const b = await openBrowser();
  try {
    const made = [];
    const calls = await stubApi(b.page, {
      onCall: async (type, input) => {
        if (type === "temporary_account") return [200, { status: "success", output: { userid: "V".repeat(32) } }];
        if (type === "get_entries") return [200, { status: "success", output: { entries: made } }];
        if (type === "url") {
          if (!input.url.startsWith("http")) {
            return [
              400,
              {
                status: "error",
                error: { code: "invalid_input", message: "url must be an absolute http(s) URL.", field: "url" },
              },
            ];
          }
          const e = entry({ url: input.url, shorturl: `https://ww7.io/Code${made.length}x` });
          made.unshift(e);
          return [
            200,
            {
              status: "success",
              output: { entry: { ...e, qrcode: { format: "svg", image: QR_SVG, encoding: "utf8" } } },
            },
          ];
        }
        return [404, { status: "error", error: { code: "unknown_call", message: "no" } }];
      },
    });
    await b.page.goto(`${ORIGIN}/`);
    await b.page.waitForSelector("html[data-ready=home]");
    await b.page.fill("#url", "mailto:someone");
    await b.page.click("#shorten-submit");
    await b.page.waitForSelector("#shorten-error:not([hidden])");
    assert.equal(await b.page.textContent("#shorten-error"), "url must be an absolute http(s) URL.");

    await b.page.fill("#url", "https://example.com/<b>bold</b>");
    await b.page.click("#shorten-submit");
    await b.page.waitForSelector("#result:not([hidden])");
    assert.equal(await b.page.isVisible("#shorten-error"), false);
    assert.equal(await b.page.textContent("#short-url"), "https://ww7.io/Code0x");
    assert.equal(await b.page.inputValue("#url"), "");
    await b.page.waitForSelector("#links li");
    // Text from the API is text: no element was made from it.
    assert.equal(await b.page.locator("#links b, #result b").count(), 0);
    assert.match(await b.page.textContent("#links li"), /<b>bold<\/b>/);
    const url = calls.find((c) => c.type === "url" && c.input.url.startsWith("https"));
    assert.deepEqual(url.input, {
      userid: "V".repeat(32),
      url: "https://example.com/<b>bold</b>",
      qr: { format: "svg" },
    });
    assert.deepEqual(
      calls.filter((c) => c.type === "get_entries").map((c) => c.input),
      [{ userid: "V".repeat(32), count: 20 }],
    );
  } finally {
    await b.close();
  }
});

test("an expired temporary account is replaced once, and the call goes through", async () => {
  const b = await openBrowser();
  try {
    let accounts = 1; // the browser already holds account 1, which has expired
    const calls = await stubApi(b.page, {
      onCall: async (type, input) => {
        if (type === "temporary_account")
          return [200, { status: "success", output: { userid: `${++accounts}`.repeat(32) } }];
        if (type === "get_entries") return [200, { status: "success", output: { entries: [] } }];
        if (type === "url" && input.userid === "1".repeat(32)) {
          return [
            401,
            { status: "error", error: { code: "unauthorized", message: "The account expired.", field: "userid" } },
          ];
        }
        if (type === "url") return [200, { status: "success", output: { entry: entry({ url: input.url }) } }];
        return [404, { status: "error", error: { code: "unknown_call", message: "no" } }];
      },
    });
    await b.page.goto(`${ORIGIN}/`);
    await b.page.waitForSelector("html[data-ready=home]");
    await b.page.evaluate(() => localStorage.setItem("ww7.userid", "1".repeat(32)));
    await b.page.fill("#url", "https://example.com/");
    await b.page.click("#shorten-submit");
    await b.page.waitForSelector("#result:not([hidden])");
    assert.equal(await b.page.evaluate(() => localStorage.getItem("ww7.userid")), "2".repeat(32));
    assert.deepEqual(
      calls.filter((c) => c.type === "url").map((c) => c.input.userid),
      ["1".repeat(32), "2".repeat(32)],
    );
    // No QR in the answer: no QR shown.
    assert.equal(await b.page.isVisible("#qr"), false);
  } finally {
    await b.close();
  }
});
