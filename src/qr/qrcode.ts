// What the calls use: the `qrcode` output of an entry (CONTRACT.md "QR codes").
import { shortUrl } from "../links/codes";
import { qrMatrix } from "./matrix";
import type { QrOptions } from "./options";
import { base64, qrPng } from "./png";
import { qrSvg } from "./svg";

export interface QrcodeOutput {
  encoding: "utf8" | "base64";
  format: "svg" | "png";
  image: string;
}

/** The URL a QR code encodes: the short URL with the scan marker, counted in `count_qr`. */
export function qrScanUrl(host: string, code: string): string {
  return `${shortUrl(host, code)}?qr`;
}

/** The image of `text` as the options ask: SVG as UTF-8 text, PNG as base64. */
export function qrcodeOf(text: string, options: QrOptions): QrcodeOutput {
  const matrix = qrMatrix(text, options.level);
  if (options.format === "png") {
    return {
      encoding: "base64",
      format: "png",
      image: base64(qrPng(matrix, options.border, options.fg, options.bg)),
    };
  }
  return { encoding: "utf8", format: "svg", image: qrSvg(matrix, options.border, options.fg, options.bg) };
}

/** The `qrcode` output of the entry at `host`/`code`. */
export function entryQrcode(host: string, code: string, options: QrOptions): QrcodeOutput {
  return qrcodeOf(qrScanUrl(host, code), options);
}

/**
 * `{ qrcode }` for an entry when a QR code was asked for (the parsed `qr` input), else `{}`: spread
 * into entryOutput's `extra`, e.g. `entryOutput(entry, order, qrcodeExtra(entry, input.qr))`.
 */
export function qrcodeExtra(
  entry: { host: string; code: string },
  options: QrOptions | undefined,
): { qrcode?: QrcodeOutput } {
  return options === undefined ? {} : { qrcode: entryQrcode(entry.host, entry.code, options) };
}
