// `qr` on the calls that return entries, end to end (CONTRACT.md and the reference's examples).
import { describe, expect, it } from "vitest";
import { fetchWorker, ok, post, temporary } from "./helpers/api";
import { decodePng, scan, svgModules } from "./helpers/qr";

describe("qr on the entry calls", () => {
  it("url with qr {} returns an SVG of the scan URL; without qr, no qrcode", async () => {
    const { userid } = await temporary();
    const plain = await ok("url", { userid, url: "https://www.example.com/" });
    expect(plain.entry.qrcode).toBeUndefined();
    const none = await ok("url", { userid, url: "https://www.example.com/", qr: false });
    expect(none.entry.qrcode).toBeUndefined();
    const out = await ok("url", { userid, url: "https://www.example.com/", qr: {} });
    const { qrcode, shorturl } = out.entry;
    expect(Object.keys(qrcode)).toEqual(["encoding", "format", "image"]);
    expect(qrcode.format).toBe("svg");
    expect(qrcode.encoding).toBe("utf8");
    expect(svgModules(qrcode.image).side).toBeGreaterThan(21);
    const png = await ok("get_entry", { userid, shorturl, qr: { format: "png" } });
    expect(scan(decodePng(png.entry.qrcode.image))?.text).toBe(`${shorturl}?qr`);
  });

  it("the reference's get_entries example with its qr dictionary", async () => {
    const { userid } = await temporary();
    for (let i = 0; i < 3; i++) await ok("url", { userid, url: "https://www.example.com/" });
    const out = await ok("get_entries", {
      userid,
      count: 2,
      start: 1,
      qr: { format: "png", bg: "#ffffff00", fg: "#4444aa", level: "M", border: 1 },
    });
    expect(out.entries).toHaveLength(2);
    for (const entry of out.entries) {
      expect(entry.qrcode.format).toBe("png");
      expect(entry.qrcode.encoding).toBe("base64");
      const img = decodePng(entry.qrcode.image);
      expect(img.png.tabs.PLTE).toEqual([255, 255, 255, 0x44, 0x44, 0xaa]);
      expect(img.png.tabs.tRNS).toEqual([0, 255]);
      expect(scan(img)?.text).toBe(`${entry.shorturl}?qr`);
    }
  });

  it("a bad qr value is invalid_input naming qr.<key>", async () => {
    const { userid } = await temporary();
    const r = await post("url", { userid, url: "https://www.example.com/", qr: { fg: "blue" } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_input");
    expect(r.body.error.field).toBe("qr.fg");
  });

  it("opening the scan URL counts in count_qr", async () => {
    const { userid } = await temporary();
    const { entry } = await ok("url", { userid, url: "https://www.example.com/", qr: { format: "png" } });
    const scanned = scan(decodePng(entry.qrcode.image))?.text ?? "";
    const res = await fetchWorker(scanned, { redirect: "manual" });
    expect(res.status).toBe(302);
    let countQr = 0;
    for (let i = 0; i < 30 && countQr === 0; i++) {
      countQr = (await ok("get_entry", { userid, shorturl: entry.shorturl })).entry.count_qr;
      if (countQr === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(countQr).toBe(1);
  });
});
