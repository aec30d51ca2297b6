// QR matrix -> palette PNG (pure): 1 bit per pixel, a 2-colour palette (index 0 = bg, 1 = fg) and,
// when either colour is not opaque, a tRNS chunk with their alphas: the same layout as the
// reference's example images. upng-js filters and deflates the pixel rows (with its pako) and
// computes the chunk CRCs; its high-level `encode` cannot be used as is, because it always puts
// transparent black first in the palette (3 colours, 2 bits per pixel, a tRNS even for opaque
// colours).
import UPNG from "upng-js";
import type { Rgba } from "./colour";
import type { QrMatrix } from "./matrix";

export const PNG_PX_PER_MODULE = 10;

/** The parts of upng-js 2.1.0 used here that its type declarations do not list. */
interface UpngInternals {
  encode: {
    /** Writes each row of `img` behind a filter-type byte into `data`, returns the zlib stream. */
    _filterZero(img: Uint8Array, h: number, bpp: number, bpl: number, data: Uint8Array): Uint8Array;
  };
  crc: { crc(bytes: Uint8Array, offset: number, length: number): number };
}
const upng = UPNG as unknown as UpngInternals;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** PNG bytes of the code with `border` modules of quiet zone, `pxPerModule` pixels per module. */
export function qrPng(
  matrix: QrMatrix,
  border: number,
  fg: Rgba,
  bg: Rgba,
  pxPerModule = PNG_PX_PER_MODULE,
): Uint8Array {
  const side = (matrix.size + 2 * border) * pxPerModule;
  const bytesPerRow = Math.ceil(side / 8);

  // Pixel rows, 1 bit per pixel, most significant bit first; a module row is drawn once and
  // repeated pxPerModule times. Quiet-zone rows stay 0 (bg).
  const pixels = new Uint8Array(bytesPerRow * side);
  for (let row = 0; row < matrix.size; row++) {
    const y0 = (row + border) * pxPerModule;
    const line = pixels.subarray(y0 * bytesPerRow, (y0 + 1) * bytesPerRow);
    const modules = matrix.dark[row] ?? [];
    for (let col = 0; col < matrix.size; col++) {
      if (!modules[col]) continue;
      const x0 = (col + border) * pxPerModule;
      for (let x = x0; x < x0 + pxPerModule; x++) line[x >> 3] = (line[x >> 3] ?? 0) | (0x80 >> (x & 7));
    }
    for (let dy = 1; dy < pxPerModule; dy++)
      pixels.copyWithin((y0 + dy) * bytesPerRow, y0 * bytesPerRow, (y0 + 1) * bytesPerRow);
  }
  const idat = upng.encode._filterZero(pixels, side, 1, bytesPerRow, new Uint8Array((bytesPerRow + 1) * side));

  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, side);
  view.setUint32(4, side);
  ihdr.set([1, 3, 0, 0, 0], 8); // bit depth 1, colour type 3 (palette), deflate, filter 0, no interlace
  const chunks: [string, Uint8Array][] = [
    ["IHDR", ihdr],
    ["PLTE", Uint8Array.of(bg.r, bg.g, bg.b, fg.r, fg.g, fg.b)],
  ];
  if (bg.a !== 255 || fg.a !== 255) chunks.push(["tRNS", Uint8Array.of(bg.a, fg.a)]);
  chunks.push(["IDAT", idat], ["IEND", new Uint8Array(0)]);
  return pngFile(chunks);
}

function pngFile(chunks: [string, Uint8Array][]): Uint8Array {
  const length = SIGNATURE.length + chunks.reduce((n, [, data]) => n + 12 + data.length, 0);
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  out.set(SIGNATURE);
  let at = SIGNATURE.length;
  for (const [type, data] of chunks) {
    view.setUint32(at, data.length);
    for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
    out.set(data, at + 8);
    view.setUint32(at + 8 + data.length, upng.crc.crc(out, at + 4, 4 + data.length) >>> 0);
    at += 12 + data.length;
  }
  return out;
}

/** Base64 of bytes, without Node's Buffer: btoa over chunks small enough for fromCharCode. */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
