// Calling the API from a page: POST /v2/<type> on this origin, the envelope unwrapped; a failure
// becomes an ApiCallError carrying the message written for a person.

export class ApiCallError extends Error {
  override name = "ApiCallError";
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

interface Envelope<T> {
  status?: string;
  output?: T;
  error?: { code?: string; message?: string; field?: string };
}

async function unwrap<T>(response: Response): Promise<T> {
  let envelope: Envelope<T>;
  try {
    envelope = (await response.json()) as Envelope<T>;
  } catch {
    throw new ApiCallError("internal", `The server answered ${response.status} without a readable reply. Try again.`);
  }
  if (envelope.status === "success" && envelope.output !== undefined) return envelope.output;
  const e = envelope.error ?? {};
  throw new ApiCallError(e.code ?? "internal", e.message ?? "Something went wrong. Try again.", e.field);
}

async function send(type: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`/v2/${type}`, { method: "POST", credentials: "omit", ...init });
  } catch {
    throw new ApiCallError("network", "The server could not be reached. Check your connection and try again.");
  }
}

/** A JSON call. */
export async function call<T>(type: string, input: Record<string, unknown>): Promise<T> {
  return unwrap<T>(await send(type, { headers: { "content-type": "application/json" }, body: JSON.stringify(input) }));
}

/** A multipart call (`file`): the JSON input in the part `query`, the bytes in a part named after the file. */
export async function callMultipart<T>(type: string, input: Record<string, unknown>, file: Blob, filename: string) {
  const form = new FormData();
  form.append("query", JSON.stringify(input));
  form.append("file", file, filename);
  return unwrap<T>(await send(type, { body: form }));
}
