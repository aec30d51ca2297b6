// Reading QR images back independently of the encoder: PNG pixels through UPNG.decode/toRGBA8 and
// the jsQR decoder; SVG modules by parsing the path qrcode-svg writes.
import jsQR from "jsqr";
import UPNG from "upng-js";

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

export interface DecodedPng {
  png: UPNG.Image;
  width: number;
  height: number;
  /** RGBA pixels composited over white (what a scanner sees on a white page) */
  rgba: Uint8ClampedArray;
}

export function decodePng(base64: string): DecodedPng {
  const bytes = fromBase64(base64);
  const png = UPNG.decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const first = UPNG.toRGBA8(png)[0];
  if (!first) throw new Error("PNG without a frame");
  const rgba = new Uint8ClampedArray(first);
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = (rgba[i + 3] ?? 255) / 255;
    for (let k = 0; k < 3; k++) rgba[i + k] = Math.round((rgba[i + k] ?? 0) * alpha + 255 * (1 - alpha));
    rgba[i + 3] = 255;
  }
  return { png, width: png.width, height: png.height, rgba };
}

/** The image with `pad` white pixels added on every side. */
export function padWhite(img: DecodedPng, pad: number): { rgba: Uint8ClampedArray; width: number; height: number } {
  const width = img.width + 2 * pad;
  const height = img.height + 2 * pad;
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < img.height; y++) {
    rgba.set(img.rgba.subarray(y * img.width * 4, (y + 1) * img.width * 4), ((y + pad) * width + pad) * 4);
  }
  return { rgba, width, height };
}

/** What jsQR reads in the image (null if nothing), and the version it found. */
export function scan(image: { rgba: Uint8ClampedArray; width: number; height: number }) {
  const found = jsQR(image.rgba, image.width, image.height, { inversionAttempts: "dontInvert" });
  return found ? { text: found.data, version: found.version } : null;
}

/** Luminance of the pixel at (x, y), after compositing over white. */
export function luminance(img: { rgba: Uint8ClampedArray; width: number }, x: number, y: number): number {
  const i = (y * img.width + x) * 4;
  return 0.299 * (img.rgba[i] ?? 0) + 0.587 * (img.rgba[i + 1] ?? 0) + 0.114 * (img.rgba[i + 2] ?? 0);
}

/** RGBA (not composited) of the palette index at (x, y) of a decoded palette PNG. */
export function paletteIndexAt(png: UPNG.Image, x: number, y: number): number {
  const bytesPerRow = Math.ceil((png.width * png.depth) / 8);
  const data = new Uint8Array(png.data);
  const byte = data[y * bytesPerRow + ((x * png.depth) >> 3)] ?? 0;
  const shift = 8 - png.depth - ((x * png.depth) & 7);
  return (byte >> shift) & ((1 << png.depth) - 1);
}

export interface SvgModules {
  /** side of the viewBox, in modules (code plus 2 × border) */
  side: number;
  /** dark[y][x] over the whole viewBox */
  dark: boolean[][];
  /** attribute values of interest */
  width: string;
  height: string;
  fgStyle: string;
  bgStyle: string;
}

/** The modules of an SVG made by qrcode-svg with join (one path of unit squares). */
export function svgModules(svg: string): SvgModules {
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  if (!viewBox || viewBox[1] !== viewBox[2]) throw new Error("no square viewBox");
  const side = Number(viewBox[1]);
  const dark = Array.from({ length: side }, () => new Array<boolean>(side).fill(false));
  const path = /<path [^>]*style="([^"]*)"[^>]*d="([^"]*)"/.exec(svg);
  const rect = /<rect x="0" y="0" width="(\d+)" height="(\d+)" style="([^"]*)"/.exec(svg);
  if (!path || !rect) throw new Error("no path or background rect");
  if (Number(rect[1]) !== side || Number(rect[2]) !== side) throw new Error("background does not cover the viewBox");
  for (const m of (path[2] ?? "").matchAll(/M(\d+),(\d+) V(\d+) H(\d+) V\d+ H\d+ Z/g)) {
    const [x, y, y1, x1] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    if (y1 !== y + 1 || x1 !== x + 1) throw new Error(`not a unit square: ${m[0]}`);
    const row = dark[y];
    if (row === undefined || x >= side) throw new Error(`square outside the viewBox: ${m[0]}`);
    row[x] = true;
  }
  const attr = (name: string) => new RegExp(`<svg [^>]*${name}="([^"]*)"`).exec(svg)?.[1] ?? "";
  return { side, dark, width: attr("width"), height: attr("height"), fgStyle: path[1] ?? "", bgStyle: rect[3] ?? "" };
}
