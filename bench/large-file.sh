#!/usr/bin/env bash
# The 250 MB file benchmark end to end: a fresh `wrangler dev` on 127.0.0.1:8794 (inspector 9294)
# with its state in a temporary directory, then bench/large-file.mjs against it, then clean-up.
# Bounded: wrangler must be ready in 60 s, the run must end in TIME_LIMIT_S (default 900 s).
#   bash bench/large-file.sh            # env: SIZE, PART_MIB, TIME_LIMIT_S (see large-file.mjs)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wrangler-env.sh
state="$(mktemp -d)"
log="$state/wrangler.log"
cleanup() {
  if [ -n "${dev_pid:-}" ]; then kill -- "-$dev_pid" 2>/dev/null || true; wait "$dev_pid" 2>/dev/null || true; fi
  rm -rf "$state"
}
trap cleanup EXIT
npx wrangler d1 migrations apply DB --local --persist-to "$state" >/dev/null
setsid npx wrangler dev --ip 127.0.0.1 --port 8794 --inspector-port 9294 --persist-to "$state" --log-level warn >"$log" 2>&1 &
dev_pid=$!
for _ in $(seq 1 60); do
  curl -s -o /dev/null http://127.0.0.1:8794/v2/openapi.json && break
  sleep 1
done
curl -s -o /dev/null http://127.0.0.1:8794/v2/openapi.json || { cat "$log"; exit 1; }
node bench/large-file.mjs
