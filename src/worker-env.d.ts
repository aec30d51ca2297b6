// The worker's bindings and settings (wrangler.toml [vars] are strings). Declared on the global
// `Cloudflare.Env` so that `env` from "cloudflare:workers" and "cloudflare:test" is typed the same.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    FILES: R2Bucket;
    USER_LIMITER: DurableObjectNamespace<import("./limits/user-limiter").UserLimiter>;
    LINK_COUNTER: DurableObjectNamespace<import("./links/link-counter").LinkCounter>;
    SHORT_HOSTS: string;
    PUBLIC_ORIGIN: string;
    TEMPORARY_ACCOUNT_LIFETIME_S: string;
    TOKEN_LIFETIME_REGISTERED_S: string;
    TOKEN_LIFETIME_VERIFIED_S: string;
    RESET_CODE_LIFETIME_S: string;
    VERIFY_CODE_LIFETIME_S: string;
    MAIL_INTERVAL_S: string;
    MAIL_FROM: string;
    MAIL_FROM_NAME: string;
    MAIL_OUTBOX: string;
    MAIL: SendEmail;
    DOWNLOAD_URL_LIFETIME_S: string;
    /** secret: HMAC key of signed download URLs (.dev.vars locally, `wrangler secret put` in production) */
    DOWNLOAD_SIGNING_SECRET: string;
  }
  interface GlobalProps {
    mainModule: typeof import("./index");
    durableNamespaces: "LinkCounter";
  }
}
