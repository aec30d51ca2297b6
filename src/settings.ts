// Settings come from env ([vars] in wrangler.toml, documented there and in README). Parsed once
// per env object; a malformed value fails loudly at the first request rather than silently
// falling back.

export interface Settings {
  /** configured short hosts; the first is the default */
  shortHosts: string[];
  defaultHost: string;
  publicOrigin: string;
  temporaryAccountLifetimeS: number;
  tokenLifetimeRegisteredS: number;
  tokenLifetimeVerifiedS: number;
  /** lifetime of a password-reset code (forgot_password's link) */
  resetCodeLifetimeS: number;
  /** lifetime of an email-verification code (verify_email's link) */
  verifyCodeLifetimeS: number;
  /** at most one mail of each kind per account within this many seconds */
  mailIntervalS: number;
  /** sender address of the mails */
  mailFrom: string;
  /** display name of the sender */
  mailFromName: string;
  /** local outbox: "d1" keeps every sent mail in the mail_outbox table and serves GET /-/outbox */
  mailOutbox: "d1" | "";
  /** lifetime of a signed download URL */
  downloadUrlLifetimeS: number;
}

const cache = new WeakMap<object, Settings>();

/** An integer setting of at least `min`; anything else fails loudly at the first request. */
export function intSetting(env: Cloudflare.Env, name: keyof Cloudflare.Env, min: number): number {
  const raw = env[name];
  const n = Number(raw);
  if (typeof raw !== "string" || raw.trim() === "" || !Number.isSafeInteger(n) || n < min) {
    throw new Error(`setting ${String(name)} must be an integer of at least ${min}`);
  }
  return n;
}

const positiveInt = (env: Cloudflare.Env, name: keyof Cloudflare.Env) => intSetting(env, name, 1);
const nonNegativeInt = (env: Cloudflare.Env, name: keyof Cloudflare.Env) => intSetting(env, name, 0);

function mailFrom(env: Cloudflare.Env): string {
  const from = (env.MAIL_FROM ?? "").trim();
  if (!/^[^\s@<>"]+@[^\s@<>"]+$/.test(from)) throw new Error("setting MAIL_FROM must be a plain email address");
  return from;
}

function mailOutbox(env: Cloudflare.Env): "d1" | "" {
  const v = (env.MAIL_OUTBOX ?? "").trim();
  if (v !== "" && v !== "d1") throw new Error('setting MAIL_OUTBOX must be "" (off) or "d1"');
  return v;
}

export function getSettings(env: Cloudflare.Env): Settings {
  let s = cache.get(env);
  if (s) return s;
  const shortHosts = (env.SHORT_HOSTS ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  const defaultHost = shortHosts[0];
  if (defaultHost === undefined) throw new Error("setting SHORT_HOSTS must name at least one host");
  s = {
    shortHosts,
    defaultHost,
    publicOrigin: (env.PUBLIC_ORIGIN ?? "").replace(/\/+$/, ""),
    temporaryAccountLifetimeS: positiveInt(env, "TEMPORARY_ACCOUNT_LIFETIME_S"),
    tokenLifetimeRegisteredS: positiveInt(env, "TOKEN_LIFETIME_REGISTERED_S"),
    tokenLifetimeVerifiedS: positiveInt(env, "TOKEN_LIFETIME_VERIFIED_S"),
    resetCodeLifetimeS: positiveInt(env, "RESET_CODE_LIFETIME_S"),
    verifyCodeLifetimeS: positiveInt(env, "VERIFY_CODE_LIFETIME_S"),
    mailIntervalS: nonNegativeInt(env, "MAIL_INTERVAL_S"),
    mailFrom: mailFrom(env),
    mailFromName: env.MAIL_FROM_NAME ?? "",
    mailOutbox: mailOutbox(env),
    downloadUrlLifetimeS: positiveInt(env, "DOWNLOAD_URL_LIFETIME_S"),
  };
  cache.set(env, s);
  return s;
}
