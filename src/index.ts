// Worker entry: the Hono app for fetch; Durable Object classes are exported from here.
import { app } from "./app";

export { LinkCounter } from "./links/link-counter";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Cloudflare.Env>;
