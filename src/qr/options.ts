// The `qr` input of the calls that return entries (CONTRACT.md "QR codes"; decisions in docs/qr.md).
// `{}` or any subset of the keys takes the defaults for the rest; `true` is `{}`; `false`, `null`
// or absent means no QR code. Bad values are invalid_input naming `qr.<key>`.
import { z } from "zod";
import { COLOUR_PATTERN, parseColour, type Rgba } from "./colour";

export const QR_FORMATS = ["svg", "png"] as const;
export const QR_LEVELS = ["L", "M", "Q", "H"] as const;
export type QrFormat = (typeof QR_FORMATS)[number];
export type QrLevel = (typeof QR_LEVELS)[number];

/** Quiet zone, in modules. 4 is the standard's; 20 keeps a 1000-entry PNG listing cheap. */
export const QR_BORDER_MIN = 0;
export const QR_BORDER_MAX = 20;

export interface QrOptions {
  format: QrFormat;
  /** quiet zone around the code, in modules, painted in `bg` */
  border: number;
  fg: Rgba;
  bg: Rgba;
  level: QrLevel;
}

export const QR_DEFAULTS: QrOptions = {
  format: "svg",
  border: 3,
  fg: { r: 0, g: 0, b: 0, a: 255 },
  bg: { r: 255, g: 255, b: 255, a: 255 },
  level: "M",
};

const colour = z
  .string({ error: "must be a colour string such as #4444aa or #ffffff00" })
  .regex(COLOUR_PATTERN, "must be a colour in the form #rrggbb or #rrggbbaa")
  .transform((text) => parseColour(text) as Rgba);

// Unknown keys inside `qr` are ignored, like unknown input keys anywhere (CONTRACT.md "Transport").
const fields = z.object({
  format: z.enum(QR_FORMATS, { error: 'must be "svg" or "png"' }).optional(),
  border: z
    .number({ error: "must be an integer number of modules" })
    .int("must be an integer number of modules")
    .min(QR_BORDER_MIN, `must be at least ${QR_BORDER_MIN}`)
    .max(QR_BORDER_MAX, `must be at most ${QR_BORDER_MAX}`)
    .optional(),
  fg: colour.optional(),
  bg: colour.optional(),
  level: z.enum(QR_LEVELS, { error: 'must be one of "L", "M", "Q", "H"' }).optional(),
});

/**
 * The `qr` field of a call's input schema: `qr: qrInput`. Parses to the full options, or to
 * `undefined` when no QR code is wanted (`false`, `null` — dropped by validateInput — or absent).
 * The first stage only checks the type (object or boolean), so that a bad value inside the object
 * is reported as `qr.<key>` rather than as a failed union.
 */
export const qrInput = z
  .union([z.boolean(), z.record(z.string(), z.unknown())], {
    error: "must be an object of QR options, or false for none",
  })
  .optional()
  .meta({
    description:
      "QR code of the entry's scan URL. {} (or true) for the defaults, or any of: format svg|png (default svg), " +
      `border ${QR_BORDER_MIN}-${QR_BORDER_MAX} modules (default 3), fg and bg #rrggbb or #rrggbbaa ` +
      "(default #000000 and #ffffff), level L|M|Q|H (default M). false or absent: no QR code.",
  })
  .transform((v) => (v === true ? {} : v === false ? undefined : v))
  .pipe(fields.optional())
  .transform((v): QrOptions | undefined =>
    v === undefined
      ? undefined
      : {
          format: v.format ?? QR_DEFAULTS.format,
          border: v.border ?? QR_DEFAULTS.border,
          fg: v.fg ?? QR_DEFAULTS.fg,
          bg: v.bg ?? QR_DEFAULTS.bg,
          level: v.level ?? QR_DEFAULTS.level,
        },
  );
