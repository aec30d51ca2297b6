// The error codes of CONTRACT.md and their HTTP statuses. Handlers throw ApiError; only the
// envelope module turns it into a response.

export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_call: 404,
  method_not_allowed: 405,
  conflict: 409,
  expired: 410,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  /** seconds until a rate-limited call may succeed (rate_limited only) */
  readonly retryAfterS: number | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; retryAfterS?: number } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.field = options.field;
    this.retryAfterS = options.retryAfterS;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const invalidInput = (field: string, message: string): ApiError =>
  new ApiError("invalid_input", message, { field });

export const notFound = (message = "No such entry.", field?: string): ApiError =>
  new ApiError("not_found", message, field === undefined ? {} : { field });
