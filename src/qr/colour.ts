// Colours of the `qr` option (pure): `#rrggbb` or `#rrggbbaa`, hex digits in either case.

export interface Rgba {
  r: number;
  g: number;
  b: number;
  /** 0 (transparent) to 255 (opaque) */
  a: number;
}

export const COLOUR_PATTERN = /^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

/** The colour of `#rrggbb` (opaque) or `#rrggbbaa`; null for anything else. */
export function parseColour(text: string): Rgba | null {
  if (!COLOUR_PATTERN.test(text)) return null;
  const byte = (i: number) => Number.parseInt(text.slice(i, i + 2), 16);
  return { r: byte(1), g: byte(3), b: byte(5), a: text.length === 9 ? byte(7) : 255 };
}

const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/** `#rrggbb`, lowercase, without the alpha. */
export function rgbHex(c: Rgba): string {
  return `#${hex2(c.r)}${hex2(c.g)}${hex2(c.b)}`;
}

/** The alpha as an SVG opacity between 0 and 1, shortest decimal that round-trips to the byte. */
export function opacity(c: Rgba): string {
  for (let digits = 1; digits <= 4; digits++) {
    const text = (c.a / 255).toFixed(digits);
    if (Math.round(Number(text) * 255) === c.a) return String(Number(text));
  }
  return String(c.a / 255);
}
