// The worker's bindings and settings (wrangler.toml [vars] are strings). Declared on the global
// `Cloudflare.Env` so that `env` from "cloudflare:workers" and "cloudflare:test" is typed the same.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    FILES: R2Bucket;
    LINK_COUNTER: DurableObjectNamespace<import("./links/link-counter").LinkCounter>;
    SHORT_HOSTS: string;
    PUBLIC_ORIGIN: string;
    TEMPORARY_ACCOUNT_LIFETIME_S: string;
    TOKEN_LIFETIME_REGISTERED_S: string;
    TOKEN_LIFETIME_VERIFIED_S: string;
  }
  interface GlobalProps {
    mainModule: typeof import("./index");
    durableNamespaces: "LinkCounter";
  }
}
