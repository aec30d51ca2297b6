declare namespace Cloudflare {
  interface Env {
    /** test only: the SQL migrations, read in vitest.config.ts */
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}
