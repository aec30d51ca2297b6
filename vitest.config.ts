import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  // The same SQL migrations that `wrangler d1 migrations apply` uses, applied in test/helpers/setup.ts.
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest({
        main: "./src/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            DOWNLOAD_SIGNING_SECRET: "test-signing-secret-not-for-production",
            MAIL_OUTBOX: "d1",
          },
        },
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      setupFiles: ["./test/helpers/setup.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
