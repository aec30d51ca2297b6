// Bench-only worker (never deployed): makes `n` QR codes the way get_entries with `count` n and a
// `qr` option does (entryQrcode per entry: matrix, image, base64), bundled by wrangler's esbuild
// and run in workerd like the real worker. GET /?n=1000&format=png&border=3&level=M; &part=matrix
// times the module matrix alone (qrcode-svg's encoder, the share common to both formats).
import { qrMatrix } from "../../src/qr/matrix";
import { QR_DEFAULTS, type QrOptions } from "../../src/qr/options";
import { entryQrcode, qrScanUrl } from "../../src/qr/qrcode";

export default {
  async fetch(request: Request): Promise<Response> {
    const params = new URL(request.url).searchParams;
    const n = Math.min(Number(params.get("n") ?? "1000"), 10_000);
    const options: QrOptions = {
      ...QR_DEFAULTS,
      format: params.get("format") === "png" ? "png" : "svg",
      border: Number(params.get("border") ?? QR_DEFAULTS.border),
      level: (params.get("level") as QrOptions["level"] | null) ?? QR_DEFAULTS.level,
    };
    const matrixOnly = params.get("part") === "matrix";
    const started = performance.now();
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      // Distinct 6-letter codes, as a listing of 1000 entries has.
      const code = `AbC${(100_000 + i).toString(36)}`.slice(0, 6);
      if (matrixOnly) bytes += qrMatrix(qrScanUrl("ww7.io", code), options.level).size;
      else bytes += entryQrcode("ww7.io", code, options).image.length;
    }
    const ms = performance.now() - started;
    return Response.json({
      n,
      format: matrixOnly ? "matrix" : options.format,
      level: options.level,
      border: options.border,
      ms,
      bytes,
    });
  },
};
