// Writes QR images made by src/qr (every level, borders 0/3/8, the reference's colours, alpha) to
// a directory, for scripts/qr-crosscheck.sh to read back with zbarimg. Bundled for Node by esbuild.
import { writeFileSync } from "node:fs";
import { parseColour, type Rgba } from "../src/qr/colour";
import { QR_DEFAULTS, QR_LEVELS, type QrOptions } from "../src/qr/options";
import { entryQrcode } from "../src/qr/qrcode";

const dir = process.argv[2] ?? ".";
const colour = (text: string): Rgba => parseColour(text) ?? QR_DEFAULTS.fg;
const cases: [string, Partial<QrOptions>][] = [];
for (const level of QR_LEVELS) for (const border of [0, 3, 8]) cases.push([`${level}-b${border}`, { level, border }]);
cases.push(["reference", { fg: colour("#4444aa"), bg: colour("#ffffff00"), border: 1 }]);
cases.push(["alpha", { fg: colour("#000000cc"), bg: colour("#ffff0080") }]);
for (const [name, over] of cases) {
  for (const format of ["png", "svg"] as const) {
    const out = entryQrcode("ww7.io", "AbC123", { ...QR_DEFAULTS, ...over, format });
    writeFileSync(`${dir}/${name}.${format}`, format === "png" ? Buffer.from(out.image, "base64") : out.image);
  }
}
