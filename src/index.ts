// Worker entry: the Hono app for fetch, housekeeping on the cron trigger; Durable Object classes
// are exported from here.

import { nowUs } from "./api/clock";
import { app } from "./app";
import { runHousekeeping } from "./housekeeping/run";

export { UserLimiter } from "./limits/user-limiter";

export { LinkCounter } from "./links/link-counter";

export default {
  fetch: app.fetch,
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(runHousekeeping(env, nowUs()));
  },
} satisfies ExportedHandler<Cloudflare.Env>;
