#!/usr/bin/env bash
# Browser tests: serve the whole product with `wrangler dev` on http://127.0.0.1:8796 (inspector
# 9296) from fresh local state, drive Debian's Chromium through playwright-core with node's test
# runner (test/e2e/*.test.mjs), then stop the server. Writes test-results/e2e.tap, which
# scripts/summarize.mjs counts.
#   bash scripts/e2e.sh                 run the browser tests
#   bash scripts/e2e.sh --screenshots   take the screenshots of docs/screenshots/ instead
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/wrangler-env.sh
PORT=8796
INSPECTOR_PORT=9296
ORIGIN="http://127.0.0.1:$PORT"
mkdir -p test-results
rm -f test-results/e2e.tap

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "e2e: ${CHROMIUM:-/usr/bin/chromium} is missing: apt-get install -y chromium (.ci/run does)" >&2
  exit 1
fi
if curl -s -o /dev/null "$ORIGIN/"; then
  echo "e2e: something already listens on port $PORT; stop it first" >&2
  exit 1
fi

persist="$(mktemp -d "${TMPDIR:-/tmp}/ww7-e2e.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    # wrangler runs workerd as a child: end the whole process group that setsid gave it.
    kill -TERM -- "-$server_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 -- "-$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$server_pid" 2>/dev/null
  fi
  rm -rf "$persist"
}
trap cleanup EXIT

if ! npx wrangler d1 migrations apply DB --local --persist-to "$persist" >test-results/e2e-migrations.log 2>&1; then
  cat test-results/e2e-migrations.log >&2
  exit 1
fi
setsid npx wrangler dev --ip 127.0.0.1 --port "$PORT" --inspector-port "$INSPECTOR_PORT" \
  --persist-to "$persist" --log-level warn >test-results/e2e-wrangler.log 2>&1 </dev/null &
server_pid=$!

ready=""
for _ in $(seq 1 120); do
  if curl -s -o /dev/null --max-time 2 "$ORIGIN/"; then ready=1; break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 0.5
done
if [ -z "$ready" ]; then
  echo "e2e: wrangler dev did not become ready on $ORIGIN" >&2
  cat test-results/e2e-wrangler.log >&2
  exit 1
fi

export E2E_ORIGIN="$ORIGIN"
if [ "${1:-}" = "--screenshots" ]; then
  node scripts/screenshots.mjs
  rc=$?
else
  node --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination=test-results/e2e.tap \
    test/e2e/*.test.mjs
  rc=$?
fi
if [ "$rc" -ne 0 ]; then
  echo "e2e: wrangler dev log (test-results/e2e-wrangler.log):" >&2
  tail -n 40 test-results/e2e-wrangler.log >&2
fi
exit "$rc"
