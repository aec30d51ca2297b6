// The one place that makes envelopes and error bodies (DESIGN.md invariant). Everything that
// answers the API, whether dispatch, multi, the 405/404 routes or the app's onError, comes here.
import { ApiError, ERROR_STATUS, type ErrorCode } from "./errors";
import { stringifyLossless } from "./lossless-json";

export interface SuccessEnvelope {
  output: Record<string, unknown>;
  status: "success";
  type: string;
  utime: number;
  weight: number;
}

export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
  retry_after_s?: number;
}

export interface ErrorEnvelope {
  status: "error";
  type: string;
  utime: number;
  weight: number;
  error: ErrorBody;
}

export type Envelope = SuccessEnvelope | ErrorEnvelope;

export function successEnvelope(
  type: string,
  output: Record<string, unknown>,
  weight: number,
  utime: number,
): SuccessEnvelope {
  return { output, status: "success", type, utime, weight };
}

/** Anything thrown that is not an ApiError is an internal error: its message never leaves. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError("internal", "Something went wrong on our side. Please try again.");
}

export function errorEnvelope(type: string, err: unknown, weight: number, utime: number): ErrorEnvelope {
  const e = toApiError(err);
  const error: ErrorBody = { code: e.code, message: e.message };
  if (e.field !== undefined) error.field = e.field;
  if (e.retryAfterS !== undefined) error.retry_after_s = e.retryAfterS;
  return { status: "error", type, utime, weight, error };
}

export function envelopeStatus(envelope: Envelope): number {
  if (envelope.status === "success") return 200;
  return ERROR_STATUS[envelope.error.code as ErrorCode] ?? 500;
}

export function envelopeResponse(envelope: Envelope, headers: Record<string, string> = {}): Response {
  const h = new Headers({ "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  if (envelope.status === "error" && envelope.error.retry_after_s !== undefined) {
    h.set("retry-after", String(envelope.error.retry_after_s));
  }
  return new Response(stringifyLossless(envelope), { status: envelopeStatus(envelope), headers: h });
}
