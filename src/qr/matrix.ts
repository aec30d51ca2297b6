// The module matrix of a QR code, made once by qrcode-svg's encoder and used for both the SVG and
// the PNG, so the two images always show the same modules.
import QRCode from "qrcode-svg";
import type { QrLevel } from "./options";

export interface QrMatrix {
  /** modules per side (17 + 4 × version) */
  size: number;
  /** QR version, 1 to 40 */
  version: number;
  /** `dark[row][col]`: true for a dark (foreground) module; row 0 is the top, col 0 the left */
  dark: readonly (readonly boolean[])[];
  /** qrcode-svg's model the matrix belongs to (svg.ts renders it) */
  model: QRCode.Model;
}

// qrcode-svg exports only its QRCode wrapper, whose constructor picks the version with a length
// estimate that always adds 3 bytes (it compares a number with a string), so a typical scan URL
// such as https://ww7.io/AbC123?qr (24 bytes; version 2 at level M holds 26) would get a version
// larger than needed. Its model (Kazuhiko Arase's generator) is driven directly instead, at the
// smallest version that holds the data: the model's prototype is reached through an instance and
// a model made as its 6-line constructor does (qrcode-svg 1.1.0, pinned).
const MODEL_PROTOTYPE: object = Object.getPrototypeOf(new QRCode({ content: "ww7", ecl: "L" }).qrcode);

function newModel(typeNumber: number, errorCorrectLevel: number): QRCode.Model {
  const model = Object.create(MODEL_PROTOTYPE) as QRCode.Model;
  return Object.assign(model, {
    typeNumber,
    errorCorrectLevel,
    modules: null,
    moduleCount: 0,
    dataCache: null,
    dataList: [],
  });
}

/** qrcode-svg's QRErrorCorrectLevel numbers (the standard's format-information bits). */
const LEVEL_BITS: Record<QrLevel, number> = { L: 1, M: 0, Q: 3, H: 2 };
const MAX_VERSION = 40;

/** Encode `text` (byte mode, UTF-8) at error correction `level`, in the smallest version that fits. */
export function qrMatrix(text: string, level: QrLevel): QrMatrix {
  for (let version = 1; version <= MAX_VERSION; version++) {
    const model = newModel(version, LEVEL_BITS[level]);
    model.addData(text);
    try {
      model.make();
    } catch (e) {
      // The data does not fit this version: try the next one.
      if (e instanceof Error && e.message.startsWith("code length overflow")) continue;
      throw e;
    }
    // The model keeps `modules[row][col]`.
    return { size: model.moduleCount, version, dark: model.modules, model };
  }
  throw new Error(`QR data too long for version ${MAX_VERSION} at level ${level}`);
}
