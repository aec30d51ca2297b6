#!/usr/bin/env bash
# npm test: type check, lint/format check, then the vitest suite inside workerd. Ends with a plain
# "N passed, N failed" line (vitest's tests, plus the type check and the lint check as one each).
set -uo pipefail
cd "$(dirname "$0")/.."
export CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_SEND_METRICS=false XDG_CONFIG_HOME="$PWD/.config"
mkdir -p test-results
checks_passed=0
checks_failed=0
echo "== tsc --noEmit"
if npx tsc --noEmit -p .; then checks_passed=$((checks_passed + 1)); else checks_failed=$((checks_failed + 1)); fi
echo "== biome ci"
if npx biome ci --colors=off .; then checks_passed=$((checks_passed + 1)); else checks_failed=$((checks_failed + 1)); fi
echo "== vitest"
rm -f test-results/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
vitest_rc=$?
node scripts/summarize.mjs test-results/vitest.json "$checks_passed" "$checks_failed" "$vitest_rc"
