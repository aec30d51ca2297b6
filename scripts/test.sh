#!/usr/bin/env bash
# npm test: type check, lint/format check, then the vitest suite inside workerd, then the browser
# tests (scripts/e2e.sh: Chromium against wrangler dev). Ends with a plain "N passed, N failed"
# line (vitest's and the browser tests, plus the type, lint and asset checks as one each).
set -uo pipefail
cd "$(dirname "$0")/.."
export CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false XDG_CONFIG_HOME="$PWD/.config"
mkdir -p test-results
checks_passed=0
checks_failed=0
echo "== tsc --noEmit"
if npx tsc --noEmit -p .; then checks_passed=$((checks_passed + 1)); else checks_failed=$((checks_failed + 1)); fi
echo "== tsc --noEmit -p src/web/client (page scripts, DOM)"
if npx tsc --noEmit -p src/web/client; then checks_passed=$((checks_passed + 1)); else checks_failed=$((checks_failed + 1)); fi
echo "== page assets up to date (scripts/build-web.mjs --check)"
if node scripts/build-web.mjs --check; then checks_passed=$((checks_passed + 1)); else checks_failed=$((checks_failed + 1)); fi
echo "== biome ci"
if npx biome ci --colors=off --error-on-warnings .; then checks_passed=$((checks_passed + 1)); else checks_failed=$((checks_failed + 1)); fi
echo "== vitest"
rm -f test-results/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
vitest_rc=$?
echo "== browser tests (scripts/e2e.sh)"
bash scripts/e2e.sh
e2e_rc=$?
node scripts/summarize.mjs test-results/vitest.json "$checks_passed" "$checks_failed" "$vitest_rc" \
  test-results/e2e.tap "$e2e_rc"
