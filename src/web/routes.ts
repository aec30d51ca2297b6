// Routes of the pages: `/` (home), `/-/file/<host>/<code>` (download page of an encrypted file),
// `/-/static/<name>` (the pages' script, style and icon). Mounted before the short-link route.
import { Hono } from "hono";
import { CODE_PATTERN } from "../links/codes";
import { ASSETS } from "./assets.gen";
import { messagePage, pageHeaders, SCRIPT_CSP } from "./layout";
import { downloadPage, homePage } from "./pages";

export const webRoutes = new Hono<{ Bindings: Cloudflare.Env }>();

const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

webRoutes.get("/", async (c) => {
  const page = await homePage();
  return c.body(page.toString(), 200, { ...pageHeaders(SCRIPT_CSP), "cache-control": "no-cache" });
});

webRoutes.get("/-/file/:host/:code", async (c) => {
  const { host, code } = c.req.param();
  if (!HOST.test(host) || !CODE_PATTERN.test(code)) {
    return messagePage(404, "Not found", "This link does not lead to a file. Check that it was copied whole.");
  }
  // The page needs nothing from the database: the signature travels in the fragment, and the
  // script asks the API for everything else once the password has unlocked the challenge.
  const page = await downloadPage(`https://${host.toLowerCase()}/${code}`);
  return c.body(page.toString(), 200, { ...pageHeaders(SCRIPT_CSP), "cache-control": "no-cache" });
});

webRoutes.get("/-/static/:name", (c) => {
  const asset = Object.hasOwn(ASSETS, c.req.param("name")) ? ASSETS[c.req.param("name")] : undefined;
  if (!asset) return messagePage(404, "Not found", "There is no such file.");
  // A request naming the current hash may be cached for good; any other is revalidated.
  const immutable = c.req.query("v") === asset.hash;
  return c.body(asset.body, 200, {
    "content-type": asset.type,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    etag: `"${asset.hash}"`,
  });
});
