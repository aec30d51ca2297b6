// Pure rules of files: weights, upload deadlines, the parts of a multipart upload, byte ranges,
// Content-Disposition.
import { describe, expect, it } from "vitest";
import { asciiFallback, attachmentDisposition, parseRange, rfc8187 } from "../src/files/http-headers";
import { checkPart, checkParts, fileWeight, MIN_PART_BYTES, uploadExpirationUs } from "../src/files/upload-rules";

describe("weights and deadlines", () => {
  it("file: 1000 + 100 per whole MB (10^6 bytes)", () => {
    expect(fileWeight(0)).toBe(1000);
    expect(fileWeight(53_990)).toBe(1000);
    expect(fileWeight(999_999)).toBe(1000);
    expect(fileWeight(1_000_000)).toBe(1100);
    expect(fileWeight(250_000_000)).toBe(26000);
  });

  it("an upload may take 100 kB/s plus an hour", () => {
    expect(uploadExpirationUs(1_000_000, 0)).toBe(1_000_000n + 3_600_000_000n);
    expect(uploadExpirationUs(0, 250_000_000)).toBe((2500n + 3600n) * 1_000_000n);
    expect(uploadExpirationUs(0, 1)).toBe(3601n * 1_000_000n);
  });
});

describe("parts", () => {
  const M = MIN_PART_BYTES;
  const err = (f: () => void) => {
    try {
      f();
    } catch (e) {
      return (e as { field?: string }).field;
    }
    return null;
  };

  it("accepts 1..N of one size ≥ 5 MiB with a last part no larger, totalling the stored size", () => {
    expect(err(() => checkParts([{ partnumber: 1, partsize: 10 }], 10))).toBeNull();
    expect(
      err(() =>
        checkParts(
          [
            { partnumber: 2, partsize: M },
            { partnumber: 1, partsize: M },
            { partnumber: 3, partsize: 1 },
          ],
          2 * M + 1,
        ),
      ),
    ).toBeNull();
    expect(
      err(() =>
        checkParts(
          [
            { partnumber: 1, partsize: M },
            { partnumber: 2, partsize: M },
          ],
          2 * M,
        ),
      ),
    ).toBeNull();
  });

  it("refuses gaps, none, small or unequal parts, a larger last part, a wrong total", () => {
    expect(err(() => checkParts([], 0))).toBe("filekey");
    expect(err(() => checkParts([{ partnumber: 2, partsize: 10 }], 10))).toBe("partnumber");
    const two = (a: number, b: number) => [
      { partnumber: 1, partsize: a },
      { partnumber: 2, partsize: b },
    ];
    expect(err(() => checkParts(two(M - 1, 1), M))).toBe("partsize");
    expect(err(() => checkParts(two(M, M + 1), 2 * M + 1))).toBe("partsize");
    expect(
      err(() =>
        checkParts(
          [
            { partnumber: 1, partsize: M },
            { partnumber: 2, partsize: M + 1 },
            { partnumber: 3, partsize: 1 },
          ],
          2 * M + 2,
        ),
      ),
    ).toBe("partsize");
    expect(err(() => checkParts(two(M, 1), M))).toBe("filesize");
  });

  it("a part must fit the file it belongs to", () => {
    expect(err(() => checkPart(1, 100, 100))).toBeNull();
    expect(err(() => checkPart(1, 132, 100))).toBeNull(); // encryption adds 32
    expect(err(() => checkPart(1, 133, 100))).toBe("partsize");
    expect(err(() => checkPart(2, 10, M))).toBeNull();
    expect(err(() => checkPart(2, 10, M - 32))).toBe("partnumber");
  });
});

describe("HTTP details of downloads", () => {
  it("parses single byte ranges", () => {
    expect(parseRange(null, 10)).toBeNull();
    expect(parseRange("bytes=0-4", 10)).toEqual({ offset: 0, length: 5 });
    expect(parseRange("bytes=5-", 10)).toEqual({ offset: 5, length: 5 });
    expect(parseRange("bytes=5-100", 10)).toEqual({ offset: 5, length: 5 });
    expect(parseRange("bytes=-3", 10)).toEqual({ offset: 7, length: 3 });
    expect(parseRange("bytes=-30", 10)).toEqual({ offset: 0, length: 10 });
    expect(parseRange("bytes=10-", 10)).toBe("unsatisfiable");
    expect(parseRange("bytes=-0", 10)).toBe("unsatisfiable");
    expect(parseRange("bytes=0-", 0)).toBe("unsatisfiable");
    expect(parseRange("bytes=4-2", 10)).toBeNull();
    expect(parseRange("bytes=0-1,3-4", 10)).toBeNull();
    expect(parseRange("items=0-1", 10)).toBeNull();
  });

  it("encodes file names for Content-Disposition", () => {
    expect(rfc8187("a b'(c)*.txt")).toBe("a%20b%27%28c%29%2A.txt");
    expect(asciiFallback("日本.pdf")).toBe("__.pdf");
    expect(asciiFallback("日本")).toBe("download");
    expect(asciiFallback("..")).toBe("download");
    expect(asciiFallback('a"b\\c%d\r\n.txt')).toBe("a_b_c_d__.txt");
    expect(attachmentDisposition("x.html")).toBe(`attachment; filename="x.html"; filename*=UTF-8''x.html`);
  });
});
