// The `qr` option: colours, defaults, and invalid_input naming `qr.<key>` (CONTRACT.md "QR codes").
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError } from "../src/api/errors";
import { validateInput } from "../src/api/validate";
import { opacity, parseColour, rgbHex } from "../src/qr/colour";
import { QR_DEFAULTS, qrInput } from "../src/qr/options";

// The shape every entry-returning call gives it: one optional field among others.
const callInput = z.object({ userid: z.string().optional(), qr: qrInput });
const parse = (raw: Record<string, unknown>) => validateInput(callInput, raw).qr;

function rejection(raw: Record<string, unknown>): ApiError {
  try {
    parse(raw);
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe("colours", () => {
  it("reads #rrggbb as opaque and #rrggbbaa with its alpha, hex in either case", () => {
    expect(parseColour("#4444aa")).toEqual({ r: 0x44, g: 0x44, b: 0xaa, a: 255 });
    expect(parseColour("#FFFFFF00")).toEqual({ r: 255, g: 255, b: 255, a: 0 });
    expect(parseColour("#000000cc")).toEqual({ r: 0, g: 0, b: 0, a: 0xcc });
  });

  it("refuses every other form", () => {
    for (const bad of [
      "",
      "#fff",
      "#ffff",
      "#12345",
      "#1234567",
      "#123456789",
      "4444aa",
      "#44 4aa",
      "#gggggg",
      "red",
    ]) {
      expect(parseColour(bad), bad).toBeNull();
    }
  });

  it("writes #rrggbb and the shortest opacity that gives the alpha byte back", () => {
    expect(rgbHex({ r: 0x44, g: 0x44, b: 0xaa, a: 1 })).toBe("#4444aa");
    expect(opacity({ r: 0, g: 0, b: 0, a: 0 })).toBe("0");
    expect(opacity({ r: 0, g: 0, b: 0, a: 255 })).toBe("1");
    expect(opacity({ r: 0, g: 0, b: 0, a: 0xcc })).toBe("0.8");
    for (let a = 0; a <= 255; a++) expect(Math.round(Number(opacity({ r: 0, g: 0, b: 0, a })) * 255)).toBe(a);
  });
});

describe("qr input", () => {
  it("absent, null or false: no QR code", () => {
    expect(parse({})).toBeUndefined();
    expect(parse({ qr: null })).toBeUndefined();
    expect(parse({ qr: false })).toBeUndefined();
  });

  it("{} (and true) take every default: svg, border 3, #000000 on #ffffff, level M", () => {
    expect(parse({ qr: {} })).toEqual(QR_DEFAULTS);
    expect(parse({ qr: true })).toEqual(QR_DEFAULTS);
    expect(QR_DEFAULTS).toEqual({
      format: "svg",
      border: 3,
      fg: { r: 0, g: 0, b: 0, a: 255 },
      bg: { r: 255, g: 255, b: 255, a: 255 },
      level: "M",
    });
  });

  it("takes the reference's get_entries dictionary", () => {
    expect(parse({ qr: { format: "png", bg: "#ffffff00", fg: "#4444aa", level: "M", border: 1 } })).toEqual({
      format: "png",
      border: 1,
      fg: { r: 0x44, g: 0x44, b: 0xaa, a: 255 },
      bg: { r: 255, g: 255, b: 255, a: 0 },
      level: "M",
    });
  });

  it("fills the keys left out with the defaults, and a null key counts as left out", () => {
    expect(parse({ qr: { level: "H" } })).toEqual({ ...QR_DEFAULTS, level: "H" });
    expect(parse({ qr: { border: 0, fg: null } })).toEqual({ ...QR_DEFAULTS, border: 0 });
    expect(parse({ qr: { border: 20 } })).toEqual({ ...QR_DEFAULTS, border: 20 });
  });

  it.each([
    [{ format: "gif" }, "qr.format"],
    [{ format: "PNG" }, "qr.format"],
    [{ format: 1 }, "qr.format"],
    [{ border: -1 }, "qr.border"],
    [{ border: 21 }, "qr.border"],
    [{ border: 1.5 }, "qr.border"],
    [{ border: "3" }, "qr.border"],
    [{ fg: "red" }, "qr.fg"],
    [{ fg: "#fff" }, "qr.fg"],
    [{ fg: 0x4444aa }, "qr.fg"],
    [{ bg: "#ffffff0" }, "qr.bg"],
    [{ bg: "ffffff" }, "qr.bg"],
    [{ level: "X" }, "qr.level"],
    [{ level: "m" }, "qr.level"],
    [{ level: 1 }, "qr.level"],
  ])("%j is invalid_input naming %s", (qr, field) => {
    const e = rejection({ qr });
    expect(e.code).toBe("invalid_input");
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field} `)).toBe(true);
  });

  it("ignores keys that are not QR options, as unknown input keys anywhere", () => {
    expect(parse({ qr: { size: 300, colour: "#ff0000", level: "H" } })).toEqual({ ...QR_DEFAULTS, level: "H" });
  });

  it("a value that is not an object is invalid_input naming qr", () => {
    for (const qr of [1, 0, "png", [], ["png"]]) {
      const e = rejection({ qr });
      expect(e.code).toBe("invalid_input");
      expect(e.field).toBe("qr");
      expect(e.message).toBe("qr must be an object of QR options, or false for none.");
    }
  });

  it("messages say what is wanted", () => {
    expect(rejection({ qr: { fg: "red" } }).message).toBe("qr.fg must be a colour in the form #rrggbb or #rrggbbaa.");
    expect(rejection({ qr: { border: 21 } }).message).toBe("qr.border must be at most 20.");
    expect(rejection({ qr: { level: "X" } }).message).toBe('qr.level must be one of "L", "M", "Q", "H".');
  });

  it("the OpenAPI description shows qr as a boolean or an object, with the options in words", () => {
    const schema = z.toJSONSchema(callInput, { io: "input", unrepresentable: "any", target: "draft-2020-12" });
    const qr = (schema.properties as Record<string, { description?: string; anyOf?: { type: string }[] }>).qr;
    expect(qr?.anyOf?.map((s) => s.type)).toEqual(["boolean", "object"]);
    expect(qr?.description).toContain("border 0-20 modules");
    expect(schema.required ?? []).not.toContain("qr");
  });
});
