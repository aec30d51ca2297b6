// The Hono app: CORS and routing by path. API failures are envelopes (made in api/envelope.ts);
// everything else that fails is a plain page with no internals.
import { Hono } from "hono";
import { cors } from "hono/cors";
import { nowUs } from "./api/clock";
import { envelopeResponse, errorEnvelope } from "./api/envelope";
import { ApiError } from "./api/errors";
import { apiRoutes } from "./api/routes";
import { downloadRoutes } from "./files/download";
import { redirectRoutes } from "./links/redirect";
import { outboxRoutes } from "./mail/outbox";
import { messagePage } from "./web/layout";
import { mailPages } from "./web/mail-pages";
import { webRoutes } from "./web/routes";

export const app = new Hono<{ Bindings: Cloudflare.Env }>();

// Any origin may call the API: credentials travel in the body, never in cookies.
app.use(
  "/v2/*",
  cors({ origin: "*", allowMethods: ["POST", "GET", "OPTIONS"], allowHeaders: ["Content-Type"], maxAge: 86400 }),
);
app.route("/v2", apiRoutes);
app.route("/-", mailPages);
app.route("/-", outboxRoutes);

app.all("/v2/*", (c) =>
  envelopeResponse(
    errorEnvelope(c.req.path.slice(4), new ApiError("unknown_call", "There is no such call."), 0, nowUs()),
  ),
);

// Pages for people: `/` and `/-/...` (before any `/:code` route, which they must not shadow).
app.route("/", webRoutes);
// Downloads and pages live under /-/ so they never collide with a short code.
app.route("/-/download", downloadRoutes);
// Short links: GET/HEAD /<code> (codes never collide with /v2/ or /-/).
app.route("/", redirectRoutes);

// Any other path (`/-/nothing`, `/a/b`): the 404 page in the pages' look.
app.notFound(() =>
  messagePage(404, "Page not found", "There is nothing at this address. Check that it was copied whole."),
);

app.onError((err, c) => {
  console.error("unhandled:", err instanceof Error ? err.message : "error");
  if (c.req.path.startsWith("/v2/")) {
    return envelopeResponse(errorEnvelope(c.req.path.slice(4), err, 0, nowUs()));
  }
  return c.text("Something went wrong on our side.", 500);
});
