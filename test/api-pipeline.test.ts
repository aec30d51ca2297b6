// The call pipeline as a client meets it: envelopes, errors with code, status and field, CORS,
// methods, the OpenAPI description.
import { describe, expect, it } from "vitest";
import { API, fetchWorker, post, registered } from "./helpers/api";

const PW = "a".repeat(64);

interface Bad {
  name: string;
  type: string;
  body: string | object | (() => Promise<string | object>);
  status: number;
  code: string;
  field?: string;
  init?: RequestInit;
}

const big = "x".repeat(11 * 1024 * 1024);

const cases: Bad[] = [
  { name: "not JSON", type: "login", body: "{nope", status: 400, code: "invalid_json" },
  { name: "truncated JSON", type: "login", body: '{"username_email": "a"', status: 400, code: "invalid_json" },
  { name: "top-level array", type: "login", body: "[1,2]", status: 400, code: "invalid_json" },
  { name: "top-level string", type: "login", body: '"hello"', status: 400, code: "invalid_json" },
  { name: "top-level number", type: "temporary_account", body: "42", status: 400, code: "invalid_json" },
  { name: "unknown call", type: "shorten_everything", body: {}, status: 404, code: "unknown_call" },
  { name: "unknown call with a bad body", type: "nope", body: "{", status: 404, code: "unknown_call" },
  {
    name: "missing password",
    type: "login",
    body: { username_email: "x" },
    status: 400,
    code: "invalid_input",
    field: "password",
  },
  {
    name: "missing username_email",
    type: "login",
    body: { password: PW },
    status: 400,
    code: "invalid_input",
    field: "username_email",
  },
  {
    name: "number as username_email",
    type: "login",
    body: { username_email: 7, password: PW },
    status: 400,
    code: "invalid_input",
    field: "username_email",
  },
  {
    name: "array as username_email",
    type: "login",
    body: { username_email: ["a"], password: PW },
    status: 400,
    code: "invalid_input",
    field: "username_email",
  },
  {
    name: "object as password",
    type: "login",
    body: { username_email: "a", password: {} },
    status: 400,
    code: "invalid_input",
    field: "password",
  },
  {
    name: "password not hex",
    type: "login",
    body: { username_email: "a", password: "z".repeat(64) },
    status: 400,
    code: "invalid_input",
    field: "password",
  },
  {
    name: "password too short",
    type: "login",
    body: { username_email: "a", password: "ab" },
    status: 400,
    code: "invalid_input",
    field: "password",
  },
  {
    name: "password too long",
    type: "signup",
    body: { email: "a@b.co", password: "a".repeat(65) },
    status: 400,
    code: "invalid_input",
    field: "password",
  },
  {
    name: "username_email too long",
    type: "login",
    body: { username_email: "a".repeat(300), password: PW },
    status: 400,
    code: "invalid_input",
    field: "username_email",
  },
  {
    name: "empty username_email",
    type: "login",
    body: { username_email: "", password: PW },
    status: 400,
    code: "invalid_input",
    field: "username_email",
  },
  {
    name: "bad email",
    type: "signup",
    body: { email: "nobody", password: PW },
    status: 400,
    code: "invalid_input",
    field: "email",
  },
  {
    name: "email with spaces",
    type: "signup",
    body: { email: "a b@c.de", password: PW },
    status: 400,
    code: "invalid_input",
    field: "email",
  },
  {
    name: "email too long",
    type: "signup",
    body: { email: `${"a".repeat(250)}@b.co`, password: PW },
    status: 400,
    code: "invalid_input",
    field: "email",
  },
  {
    name: "username too long",
    type: "signup",
    body: { email: "a@b.co", username: "u".repeat(33), password: PW },
    status: 400,
    code: "invalid_input",
    field: "username",
  },
  {
    name: "username bad characters",
    type: "signup",
    body: { email: "a@b.co", username: "a<b>", password: PW },
    status: 400,
    code: "invalid_input",
    field: "username",
  },
  {
    name: "userid too short",
    type: "check_credentials",
    body: { userid: "abc" },
    status: 400,
    code: "invalid_input",
    field: "userid",
  },
  {
    name: "userid with symbols",
    type: "check_credentials",
    body: { userid: `${"a".repeat(31)}!` },
    status: 400,
    code: "invalid_input",
    field: "userid",
  },
  {
    name: "userid as number",
    type: "check_credentials",
    body: { userid: 12345 },
    status: 400,
    code: "invalid_input",
    field: "userid",
  },
  { name: "missing userid", type: "check_credentials", body: {}, status: 400, code: "invalid_input", field: "userid" },
  {
    name: "token too long",
    type: "check_credentials",
    body: { userid: "a".repeat(32), token: "b".repeat(33) },
    status: 400,
    code: "invalid_input",
    field: "token",
  },
  {
    name: "logout without token",
    type: "logout",
    body: { userid: "a".repeat(32) },
    status: 400,
    code: "invalid_input",
    field: "token",
  },
  {
    name: "unknown userid",
    type: "check_credentials",
    body: { userid: "a".repeat(32) },
    status: 401,
    code: "unauthorized",
    field: "userid",
  },
  {
    name: "multi without call_queries",
    type: "multi",
    body: {},
    status: 400,
    code: "invalid_input",
    field: "call_queries",
  },
  {
    name: "multi with an object for the list",
    type: "multi",
    body: { call_queries: {} },
    status: 400,
    code: "invalid_input",
    field: "call_queries",
  },
  {
    name: "multi with an empty list",
    type: "multi",
    body: { call_queries: [] },
    status: 400,
    code: "invalid_input",
    field: "call_queries",
  },
  {
    name: "multi with 101 calls",
    type: "multi",
    body: { call_queries: Array.from({ length: 101 }, () => ({ type: "temporary_account" })) },
    status: 400,
    code: "invalid_input",
    field: "call_queries",
  },
  {
    name: "multi call without type",
    type: "multi",
    body: { call_queries: [{ input: {} }] },
    status: 400,
    code: "invalid_input",
    field: "call_queries[0].type",
  },
  {
    name: "multi call with a list as input",
    type: "multi",
    body: { call_queries: [{ type: "login", input: [] }] },
    status: 400,
    code: "invalid_input",
    field: "call_queries[0].input",
  },
  {
    name: "multi broadcast not a boolean",
    type: "multi",
    body: { call_queries: [{ type: "login", broadcast: "yes" }] },
    status: 400,
    code: "invalid_input",
    field: "call_queries[0].broadcast",
  },
  { name: "oversized body", type: "login", body: big, status: 413, code: "too_large" },
];

describe("malformed requests", () => {
  it("has at least 30 cases", () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)("$name → $status $code", async ({ type, body, status, code, field, init }) => {
    const r = await post(type, typeof body === "function" ? await body() : body, init);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ status: "error", type, weight: 0, error: { code } });
    expect(typeof r.body.error.message).toBe("string");
    expect(typeof r.body.utime).toBe("number");
    if (field !== undefined) expect(r.body.error.field).toBe(field);
    else expect(r.body.error.field).toBeUndefined();
  });

  it.each(["GET", "PUT", "DELETE", "PATCH"])("%s on a call is 405 with Allow", async (method) => {
    const res = await fetchWorker(`${API}/v2/login`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toContain("POST");
    expect(await res.json()).toMatchObject({ status: "error", type: "login", error: { code: "method_not_allowed" } });
  });

  it("a path under /v2/ that is no call is unknown_call", async () => {
    const res = await fetchWorker(`${API}/v2/login/extra`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "unknown_call" } });
  });
});

describe("transport", () => {
  it("reads JSON whatever the content type, and an empty body as {}", async () => {
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "application/json"]) {
      const r = await post("temporary_account", "{}", { headers: { "content-type": contentType } });
      expect(r.status).toBe(200);
    }
    expect((await post("temporary_account", "")).status).toBe(200);
  });

  it("treats null as absent and ignores unknown keys", async () => {
    const a = await registered();
    const r = await post("check_credentials", { userid: a.userid, token: a.token, whatever: [1, 2], qr: null });
    expect(r.status).toBe(200);
    const m = await post("multi", { call_queries: [{ type: "temporary_account", input: null, broadcast: null }] });
    expect(m.status).toBe(200);
  });

  it("answers CORS preflight for any origin", async () => {
    const res = await fetchWorker(`${API}/v2/login`, {
      method: "OPTIONS",
      headers: {
        origin: "https://example.org",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    const r = await post("temporary_account", {}, { headers: { origin: "https://example.org" } });
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("serves an OpenAPI 3.1 description of every call", async () => {
    const res = await fetchWorker(`${API}/v2/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, { post: { requestBody: unknown } }> };
    expect(doc.openapi).toBe("3.1.0");
    for (const call of [
      "signup",
      "login",
      "logout",
      "check_credentials",
      "change_password",
      "temporary_account",
      "multi",
    ]) {
      expect(doc.paths[`/v2/${call}`]?.post).toBeDefined();
    }
    const login = doc.paths["/v2/login"]?.post.requestBody as {
      content: Record<string, { schema: { required: string[] } }>;
    };
    expect(login.content["application/json"]?.schema.required).toEqual(["username_email", "password"]);
  });
});

describe("multi", () => {
  it("leaves a failed call's error in its slot and runs the rest; own input overrides broadcast", async () => {
    const a = await registered();
    const r = await post("multi", {
      call_queries: [
        { type: "login", broadcast: true, input: { username_email: a.username, password: a.password } },
        { type: "no_such_call", input: {} },
        { type: "check_credentials", input: { token: "B".repeat(32) } },
        { type: "check_credentials", input: {} },
        { type: "multi", input: { call_queries: [{ type: "temporary_account" }] } },
      ],
    });
    expect(r.status).toBe(200);
    const [first, unknown, overridden, last, nested] = r.body.output.call_responses;
    expect(first.status).toBe("success");
    expect(unknown.error.code).toBe("unknown_call");
    expect(overridden.error.code).toBe("unauthorized");
    expect(last.status).toBe("success");
    expect(nested.error).toMatchObject({ code: "invalid_input", field: "type" });
    expect(r.body.weight).toBe(2000);
  });
});
