import { defineConfig } from "drizzle-kit";

// SQL migrations are generated from src/db/schema.ts into migrations/, in the format that
// `wrangler d1 migrations apply` and `readD1Migrations` read.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
