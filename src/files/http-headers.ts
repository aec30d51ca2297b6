// HTTP details of downloads (pure): Content-Disposition with a safely encoded file name
// (RFC 6266 / RFC 8187) and single byte ranges (RFC 9110 §14).

/** ASCII fallback of a file name for the plain `filename` parameter. */
export function asciiFallback(filename: string): string {
  // Printable ASCII except the quote, the backslash and % (some agents percent-decode it).
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, "_").trim();
  return ascii === "" || /^[._ ]*$/.test(ascii) ? "download" : ascii;
}

/** RFC 8187 ext-value: UTF-8, percent-encoding everything but attr-char. */
export function rfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment; filename="<ascii>"; filename*=UTF-8''<encoded>`: never shown inline. */
export function attachmentDisposition(filename: string): string {
  return `attachment; filename="${asciiFallback(filename)}"; filename*=UTF-8''${rfc8187(filename)}`;
}

export type RangeRequest = { offset: number; length: number } | "unsatisfiable" | null;

/**
 * The one byte range of a `Range` header against a body of `size` bytes: null to answer the whole
 * body (absent, malformed, another unit, or several ranges: RFC 9110 lets a server ignore them),
 * "unsatisfiable" for 416.
 */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return null;
  const [, startText = "", endText = ""] = m;
  if (startText === "" && endText === "") return null;
  if (startText === "") {
    const suffix = Number(endText);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    const length = Math.min(suffix, size);
    return { offset: size - length, length };
  }
  const start = Number(startText);
  if (!Number.isSafeInteger(start)) return "unsatisfiable";
  if (start >= size) return "unsatisfiable";
  if (endText === "") return { offset: start, length: size - start };
  const end = Number(endText);
  if (end < start) return null;
  return { offset: start, length: Math.min(end, size - 1) - start + 1 };
}
