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
  /** lifetime of a signed download URL */
  downloadUrlLifetimeS: number;
}

const cache = new WeakMap<object, Settings>();

function positiveInt(env: Cloudflare.Env, name: keyof Cloudflare.Env): number {
  const raw = env[name];
  const n = Number(raw);
  if (typeof raw !== "string" || !Number.isSafeInteger(n) || n <= 0) {
    throw new Error(`setting ${String(name)} must be a positive integer`);
  }
  return n;
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
    downloadUrlLifetimeS: positiveInt(env, "DOWNLOAD_URL_LIFETIME_S"),
  };
  cache.set(env, s);
  return s;
}
