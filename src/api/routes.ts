// HTTP face of the API: POST /v2/<type>, GET /v2/openapi.json, 405 for other methods.
import { Hono } from "hono";
import { callsByType } from "../calls";
import { nowUs as clock } from "./clock";
import { type DispatchResult, dispatch, type RequestScope } from "./dispatch";
import { envelopeResponse, errorEnvelope } from "./envelope";
import { ApiError } from "./errors";
import { parseLossless, stringifyLossless } from "./lossless-json";
import { MAX_MULTIPART_BYTES, readMultipart } from "./multipart";
import { openApiDocument } from "./openapi";
import type { Upload } from "./registry";
import { isPlainObject } from "./validate";

/**
 * The largest JSON body: `urls` may carry 1000 URLs of 8192 characters (about 8.2 MB), so 10 MiB.
 * Multipart bodies are streamed: bounded by MAX_MULTIPART_BYTES when declared, and by the file calls.
 */
export const MAX_JSON_BYTES = 10 * 1024 * 1024;

async function readLimitedText(request: Request, max: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > max) throw new ApiError("too_large", `The body may be at most ${max} bytes.`);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new ApiError("too_large", `The body may be at most ${max} bytes.`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const ch of chunks) {
    all.set(ch, at);
    at += ch.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** The call's input and upload from the body: JSON whatever the content type, or multipart. */
async function readInput(request: Request): Promise<{ input: Record<string, unknown>; upload: Upload | null }> {
  const contentType = request.headers.get("content-type") ?? "";
  let text: string;
  let upload: Upload | null = null;
  if (/^multipart\/form-data/i.test(contentType)) {
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > MAX_MULTIPART_BYTES) {
      throw new ApiError(
        "too_large",
        `A multipart body may be at most ${MAX_MULTIPART_BYTES} bytes (the Workers request limit).`,
      );
    }
    ({ query: text, upload } = await readMultipart(request));
  } else {
    text = await readLimitedText(request, MAX_JSON_BYTES);
  }
  if (text.trim() === "") return { input: {}, upload };
  let parsed: unknown;
  try {
    parsed = parseLossless(text);
  } catch {
    throw new ApiError("invalid_json", "The body is not valid JSON.");
  }
  if (!isPlainObject(parsed)) throw new ApiError("invalid_json", "The body must be a JSON object.");
  return { input: parsed, upload };
}

export const apiRoutes = new Hono<{ Bindings: Cloudflare.Env }>();

apiRoutes.get("/openapi.json", (c) =>
  c.body(stringifyLossless(openApiDocument()), 200, { "content-type": "application/json; charset=utf-8" }),
);

apiRoutes.post("/:type", async (c) => {
  const type = c.req.param("type");
  const scope: RequestScope = {
    env: c.env,
    waitUntil: (p) => c.executionCtx.waitUntil(p),
    origin: new URL(c.req.url).origin,
    ip: c.req.header("cf-connecting-ip") ?? "",
  };
  let result: DispatchResult;
  try {
    // An unknown call is reported as such whatever its body.
    if (!callsByType.has(type)) throw new ApiError("unknown_call", `There is no call named "${type}".`);
    const { input, upload } = await readInput(c.req.raw);
    result = await dispatch(scope, type, input, { upload });
  } catch (err) {
    result = { envelope: errorEnvelope(type, err, 0, clock()), headers: {} };
  }
  return envelopeResponse(result.envelope, result.headers);
});

apiRoutes.all("/:type", (c) =>
  envelopeResponse(
    errorEnvelope(c.req.param("type"), new ApiError("method_not_allowed", "API calls use POST."), 0, clock()),
    { allow: "POST, OPTIONS" },
  ),
);
