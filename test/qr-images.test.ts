// QR images read back by a decoder that is not the encoder (jsQR over pixels from UPNG.decode):
// every level, borders 0 and 8, colours with alpha; PNG geometry, palette and transparency; the
// SVG's modules equal the PNG's (CONTRACT.md "QR codes").
import UPNG from "upng-js";
import { describe, expect, it } from "vitest";
import { parseColour, type Rgba } from "../src/qr/colour";
import { qrMatrix } from "../src/qr/matrix";
import { QR_DEFAULTS, QR_LEVELS, type QrOptions } from "../src/qr/options";
import { qrPng } from "../src/qr/png";
import { qrcodeExtra, qrcodeOf, qrScanUrl } from "../src/qr/qrcode";
import { decodePng, luminance, padWhite, paletteIndexAt, scan, svgModules } from "./helpers/qr";

const URL_TEXT = "https://ww7.io/AbC123?qr";
const colour = (text: string): Rgba => {
  const c = parseColour(text);
  if (!c) throw new Error(text);
  return c;
};
const png = (over: Partial<QrOptions>) => qrcodeOf(URL_TEXT, { ...QR_DEFAULTS, ...over, format: "png" });
const svg = (over: Partial<QrOptions>) => qrcodeOf(URL_TEXT, { ...QR_DEFAULTS, ...over, format: "svg" });

/** Quiet zone added before decoding a code drawn with border 0: readers need one (4 modules). */
const PAD_PX = 40;

describe("the scan URL", () => {
  it("is the short URL with the ?qr marker", () => {
    expect(qrScanUrl("ww7.io", "AbC123")).toBe("https://ww7.io/AbC123?qr");
  });

  it("qrcodeExtra gives {} without options and { qrcode } with them", () => {
    expect(qrcodeExtra({ host: "ww7.io", code: "AbC123" }, undefined)).toEqual({});
    const extra = qrcodeExtra({ host: "ww7.io", code: "AbC123" }, QR_DEFAULTS);
    expect(Object.keys(extra.qrcode ?? {})).toEqual(["encoding", "format", "image"]);
    expect(extra.qrcode?.format).toBe("svg");
    expect(extra.qrcode?.encoding).toBe("utf8");
  });
});

describe("the matrix", () => {
  it("is the smallest version that holds the URL (24 bytes: 2 at L and M, 3 at Q and H)", () => {
    const versions = QR_LEVELS.map((level) => qrMatrix(URL_TEXT, level).version);
    expect(versions).toEqual([2, 2, 3, 3]);
    expect(qrMatrix(URL_TEXT, "M").size).toBe(25);
    // 26 bytes is version 2-M's capacity, 27 needs version 3.
    expect(qrMatrix("x".repeat(26), "M").version).toBe(2);
    expect(qrMatrix("x".repeat(27), "M").version).toBe(3);
  });

  it("refuses data beyond version 40", () => {
    expect(qrMatrix("x".repeat(1273), "H").version).toBe(40);
    expect(() => qrMatrix("x".repeat(1274), "H")).toThrow(/too long/);
  });
});

describe("PNG decoded by jsQR gives the scan URL back", () => {
  for (const level of QR_LEVELS) {
    for (const border of [0, 3, 8]) {
      it(`level ${level}, border ${border}`, () => {
        const out = png({ level, border });
        expect(out.format).toBe("png");
        expect(out.encoding).toBe("base64");
        const img = decodePng(out.image);
        const found = scan(border === 0 ? padWhite(img, PAD_PX) : img);
        expect(found?.text).toBe(URL_TEXT);
        const modules = 17 + 4 * (found?.version ?? 0);
        expect(img.width).toBe((modules + 2 * border) * 10);
        expect(img.height).toBe(img.width);
      });
    }
  }

  it.each([
    ["#4444aa", "#ffffff00"], // the reference's example: transparent background
    ["#000000cc", "#ffffff"],
    ["#00008b", "#ffff0080"],
    ["#000000cc", "#ffffff00"],
    ["#000000", "#ffffff"],
  ])("fg %s on bg %s", (fg, bg) => {
    for (const level of QR_LEVELS) {
      const img = decodePng(png({ fg: colour(fg), bg: colour(bg), level, border: 2 }).image);
      expect(scan(img)?.text, level).toBe(URL_TEXT);
    }
  });

  it("long scan URLs (16-letter code, long host) and every level", () => {
    const text = qrScanUrl("a-rather-long-short-host.example.com", "AbCdEfGhIjKlMnOp");
    for (const level of QR_LEVELS) {
      const out = qrcodeOf(text, { ...QR_DEFAULTS, format: "png", level });
      expect(scan(decodePng(out.image))?.text).toBe(text);
    }
  });
});

describe("PNG layout", () => {
  it("1 bit per pixel, palette [bg, fg], no tRNS when both are opaque", () => {
    const { png: img } = decodePng(png({ fg: colour("#4444aa"), bg: colour("#fafafa") }).image);
    expect(img.ctype).toBe(3);
    expect(img.depth).toBe(1);
    expect(img.tabs.PLTE).toEqual([0xfa, 0xfa, 0xfa, 0x44, 0x44, 0xaa]);
    expect(img.tabs.tRNS).toBeUndefined();
  });

  it("tRNS holds the alphas: #ffffff00 gives a transparent background", () => {
    const { png: img, rgba } = decodePng(png({ fg: colour("#4444aa"), bg: colour("#ffffff00") }).image);
    expect(img.tabs.PLTE).toEqual([255, 255, 255, 0x44, 0x44, 0xaa]);
    expect(img.tabs.tRNS).toEqual([0, 255]);
    const raw = new Uint8Array(UPNG.toRGBA8(img)[0] ?? new ArrayBuffer(0));
    expect(raw[3]).toBe(0); // the corner pixel is quiet zone: fully transparent
    expect(rgba[0]).toBe(255);
  });

  it("both alphas as asked", () => {
    const { png: img } = decodePng(png({ fg: colour("#000000cc"), bg: colour("#ffff0080") }).image);
    expect(img.tabs.PLTE).toEqual([255, 255, 0, 0, 0, 0]);
    expect(img.tabs.tRNS).toEqual([0x80, 0xcc]);
  });

  it("each module is a 10 x 10 block of one palette index; the border is index 0", () => {
    const border = 2;
    const matrix = qrMatrix(URL_TEXT, "M");
    const bytes = qrPng(matrix, border, colour("#000000"), colour("#ffffff"));
    const b64 = btoa(String.fromCharCode(...bytes));
    const { png: img } = decodePng(b64);
    const side = matrix.size + 2 * border;
    for (let my = 0; my < side; my++) {
      for (let mx = 0; mx < side; mx++) {
        const inside = my >= border && mx >= border && my < border + matrix.size && mx < border + matrix.size;
        const want = inside && matrix.dark[my - border]?.[mx - border] ? 1 : 0;
        for (let dy = 0; dy < 10; dy++) {
          for (let dx = 0; dx < 10; dx++) {
            if (paletteIndexAt(img, mx * 10 + dx, my * 10 + dy) !== want) {
              throw new Error(`pixel ${mx * 10 + dx},${my * 10 + dy} of module ${mx},${my} is not ${want}`);
            }
          }
        }
      }
    }
  });

  it("follows the standard's orientation: the dark module sits at row size-8, column 8", () => {
    const matrix = qrMatrix(URL_TEXT, "M");
    expect(matrix.dark[matrix.size - 8]?.[8]).toBe(true);
    const img = decodePng(png({ border: 0 }).image);
    expect(luminance(img, 8 * 10 + 5, (matrix.size - 8) * 10 + 5)).toBeLessThan(128);
  });
});

describe("SVG", () => {
  it("is UTF-8 text: one path of unit squares in a viewBox of modules, 10 px per module", () => {
    const out = svg({});
    expect(out.format).toBe("svg");
    expect(out.encoding).toBe("utf8");
    expect(out.image.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(out.image.match(/<path /g)).toHaveLength(1);
    const parsed = svgModules(out.image);
    expect(parsed.width).toBe(String(parsed.side * 10));
    expect(parsed.height).toBe(String(parsed.side * 10));
    expect(parsed.fgStyle).toContain("fill:#000000;");
    expect(parsed.bgStyle).toContain("fill:#ffffff;");
    expect(out.image).not.toContain("opacity");
  });

  it("alpha becomes fill-opacity", () => {
    const parsed = svgModules(svg({ fg: colour("#4444aacc"), bg: colour("#ffffff00") }).image);
    expect(parsed.fgStyle).toContain("fill:#4444aa;fill-opacity:0.8;");
    expect(parsed.bgStyle).toContain("fill:#ffffff;fill-opacity:0;");
  });

  for (const level of QR_LEVELS) {
    for (const border of [0, 3, 8]) {
      it(`has the PNG's modules (level ${level}, border ${border})`, () => {
        const fromSvg = svgModules(svg({ level, border }).image);
        const img = decodePng(png({ level, border }).image);
        expect(img.width).toBe(fromSvg.side * 10);
        for (let y = 0; y < fromSvg.side; y++) {
          for (let x = 0; x < fromSvg.side; x++) {
            const pngDark = luminance(img, x * 10 + 5, y * 10 + 5) < 128;
            if (pngDark !== fromSvg.dark[y]?.[x]) throw new Error(`module ${x},${y} differs`);
          }
        }
      });
    }
  }
});

describe("the reference's get_entries example", () => {
  it("qr {'format': 'png', 'bg': '#ffffff00', 'fg': '#4444aa', 'level': 'M', 'border': 1} gives the reference's layout", () => {
    // The reference's first image (code OUITVB): 270 x 270, 1 bit, palette [#ffffff, #4444aa], tRNS [0, 255].
    const reference = decodePng(
      "iVBORw0KGgoAAAANSUhEUgAAAQ4AAAEOAQMAAABCf2vmAAAABlBMVEX///9ERKqARzaVAAAAAnRSTlMA/1uRIrUAAAFJSURBVHic7djJDYQwDAVQSxSQktI6JaUAJA/xlsBhJGK4fR8Qy9McHI8xIUJ8GZUtqDYi3mnrZ5vfbSAp0iTJ54NIthC7BEmSnuy417Gtgi8KyBuk8kFyBvIFOS/P00PvgbxDrKhlAewQ1Q6SJP6Ks7T7wQIkRUZYodOfAHlIrh2E93L2571I8o/5HwCyQrRviJMaHx2kvwd3AsmQ6n1jyn1/oA2FQFIkFmDMFhRz8W2NQJ4TWwW9x1rUfayQDtJAMkRy3yvbRjUp73L4AwLJENuF8BmYijXke/MAWSVSxXydI/yzGSRDdAPCk+3zmoX+BsgyGTF/zlEsBUiG1Ei2zhbMswNJEj3bory9g9TxDwBZJ9aGL19yEQ3kHdLnNRvayD84QF4jU40Ljq0IkHUSzaPEpoTknplBssQu7MUXGz0UszLIOkF8Fz8/MxTsIxIO0QAAAABJRU5ErkJggg==",
    );
    const out = qrcodeExtra(
      { host: "ww7.io", code: "OUITVB" },
      { format: "png", bg: colour("#ffffff00"), fg: colour("#4444aa"), level: "M", border: 1 },
    ).qrcode;
    expect(out?.format).toBe("png");
    expect(out?.encoding).toBe("base64");
    const mine = decodePng(out?.image ?? "");
    for (const key of ["width", "height", "depth", "ctype"] as const) expect(mine.png[key]).toBe(reference.png[key]);
    expect(mine.png.tabs.PLTE).toEqual(reference.png.tabs.PLTE);
    expect(mine.png.tabs.tRNS).toEqual(reference.png.tabs.tRNS);
    // The reference's code holds the bare short URL; ours holds the scan URL (CONTRACT.md wins).
    expect(scan(reference)?.text).toBe("https://ww7.io/OUITVB");
    expect(scan(mine)?.text).toBe("https://ww7.io/OUITVB?qr");
  });
});
