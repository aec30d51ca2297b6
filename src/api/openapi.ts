// OpenAPI 3.1 description generated from the registry, so it cannot drift from what dispatch does.
import { z } from "zod";
import { callsByType } from "../calls";
import { ERROR_STATUS } from "./errors";

const envelopeSchema = {
  type: "object",
  required: ["status", "type", "utime", "weight"],
  properties: {
    output: { type: "object" },
    status: { enum: ["success", "error"] },
    type: { type: "string" },
    utime: { type: "integer", format: "int64", description: "server time, Unix µs" },
    weight: { type: "integer", description: "weight charged" },
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { enum: Object.keys(ERROR_STATUS) },
        message: { type: "string" },
        field: { type: "string" },
        retry_after_s: { type: "integer" },
      },
    },
  },
};

const AUTH_TEXT = {
  none: "No account needed (limited per client IP).",
  account: "Needs `userid`; also `token` unless the account is temporary.",
  token: "Needs `userid` and `token`.",
} as const;

let cached: unknown;

export function openApiDocument(): unknown {
  if (cached) return cached;
  const paths: Record<string, unknown> = {};
  for (const def of callsByType.values()) {
    const schema = z.toJSONSchema(def.input, { io: "input", unrepresentable: "any", target: "draft-2020-12" });
    delete (schema as Record<string, unknown>).$schema;
    const contentType = def.body === "multipart" ? "multipart/form-data" : "application/json";
    const body =
      def.body === "multipart"
        ? {
            type: "object",
            properties: { query: schema, file: { type: "string", format: "binary" } },
            required: ["query"],
          }
        : schema;
    paths[`/v2/${def.type}`] = {
      post: {
        operationId: def.type,
        summary: def.summary,
        description: AUTH_TEXT[def.auth],
        requestBody: { required: false, content: { [contentType]: { schema: body } } },
        responses: {
          "200": {
            description: "success envelope",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Envelope" } } },
          },
          default: {
            description: "error envelope",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Envelope" } } },
          },
        },
      },
    };
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "ww7 API",
      version: "2",
      description:
        "URL shortener and encrypted file sharing. Every call is POST /v2/<type> with a JSON body (any content type).",
    },
    paths,
    components: { schemas: { Envelope: envelopeSchema } },
  };
  return cached;
}
