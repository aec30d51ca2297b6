# Sourced by the scripts that run wrangler: keep it offline and its files inside the project
# (TOOLCHAIN.md pitfalls), and make sure local secrets exist.
export CLOUDFLARE_CF_FETCH_ENABLED=false
export WRANGLER_SEND_METRICS=false
export XDG_CONFIG_HOME="$PWD/.config"
# Local secrets live in .dev.vars (never committed); create them on first run.
if [ ! -f .dev.vars ]; then
  umask 077
  echo "DOWNLOAD_SIGNING_SECRET=$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))')" > .dev.vars
fi
# The local mail outbox (docs/mail.md): on for local runs only.
grep -q '^MAIL_OUTBOX=' .dev.vars || echo 'MAIL_OUTBOX=d1' >> .dev.vars
