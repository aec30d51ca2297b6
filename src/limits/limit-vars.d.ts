// The rate-limit settings ([vars] of wrangler.toml; all strings), parsed in
// src/accounts/limits-config.ts. Kept beside the limiter so that worker-env.d.ts stays short.
declare namespace Cloudflare {
  interface Env {
    API_CAPACITY_TEMPORARY: string;
    API_REFILL_PER_S_TEMPORARY: string;
    LINK_CAPACITY_TEMPORARY: string;
    LINK_REFILL_PER_S_TEMPORARY: string;
    API_CAPACITY_REGISTERED: string;
    API_REFILL_PER_S_REGISTERED: string;
    LINK_CAPACITY_REGISTERED: string;
    LINK_REFILL_PER_S_REGISTERED: string;
    API_CAPACITY_VERIFIED: string;
    API_REFILL_PER_S_VERIFIED: string;
    LINK_CAPACITY_VERIFIED: string;
    LINK_REFILL_PER_S_VERIFIED: string;
    IP_API_CAPACITY: string;
    IP_API_REFILL_PER_S: string;
    LOGIN_MAX_FAILURES: string;
    LOGIN_FAILURE_WINDOW_S: string;
    LINK_GATE_REFRESH_MS: string;
  }
}
