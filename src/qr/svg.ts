// QR matrix -> SVG text through qrcode-svg: one path of unit squares in a viewBox measured in
// modules (so it scales to any size), with width/height at 10 px per module like the PNG.
import QRCode from "qrcode-svg";
import { opacity, type Rgba, rgbHex } from "./colour";
import type { QrMatrix } from "./matrix";

export const SVG_PX_PER_MODULE = 10;

/** A `fill` value for qrcode-svg's `style="fill:<value>;…"`: the colour, plus its opacity if not opaque. */
function fill(c: Rgba): string {
  return c.a === 255 ? rgbHex(c) : `${rgbHex(c)};fill-opacity:${opacity(c)}`;
}

export function qrSvg(matrix: QrMatrix, border: number, fg: Rgba, bg: Rgba): string {
  const side = matrix.size + 2 * border;
  // qrcode-svg's renderer reads only `this.options` and `this.qrcode`: give it the matrix's model
  // with unit-sized modules (it scales by width / (size + 2 × padding)).
  const renderer = Object.create(QRCode.prototype) as QRCode;
  renderer.qrcode = matrix.model;
  renderer.options = {
    content: "",
    padding: border,
    width: side,
    height: side,
    color: fill(fg),
    background: fill(bg),
    join: true, // all modules in one <path>
    pretty: false,
    // qrcode-svg draws modules[x][y] at column x; `swap` puts modules[row][col] at column col, the
    // standard's orientation (the PNG's too). Without it the SVG is the PNG mirrored on its diagonal.
    swap: true,
  };
  const body = renderer.svg({ container: "none" });
  const px = side * SVG_PX_PER_MODULE;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 ${side} ${side}" ` +
    `width="${px}" height="${px}" shape-rendering="crispEdges">${body}</svg>`
  );
}
