// Reading a multipart/form-data call: the `query` part holds the JSON input; the one other part
// that is a file is the upload (its field name is the file name in the reference's examples, so
// any name is accepted).
import { ApiError } from "./errors";
import type { Upload } from "./registry";

export async function readMultipart(request: Request): Promise<{ query: string; upload: Upload | null }> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new ApiError("invalid_json", "The multipart body could not be read.");
  }
  let query = "";
  let upload: Upload | null = null;
  for (const [name, entry] of form.entries()) {
    // workers-types types entries as strings; file parts are File objects at run time.
    const value = entry as unknown as string | File;
    if (name === "query") {
      query = typeof value === "string" ? value : await value.text();
    } else if (typeof value !== "string" && upload === null) {
      upload = { fieldName: name, filename: value.name, contentType: value.type, body: value.stream() };
    }
  }
  return { query, upload };
}
