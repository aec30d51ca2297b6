#!/usr/bin/env bash
# Runs every reference example script (accounts, mail, links, files) with the reference's own
# Python, against a fresh local server: `wrangler dev` on 127.0.0.1:${PORT:-8789} with its state in
# a temporary directory, stopped at the end. Needs Debian's python3-requests and
# python3-pycryptodome (/usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/wrangler-env.sh
port="${PORT:-8789}"
state="$(mktemp -d)"
log="$state/wrangler.log"
npx wrangler d1 migrations apply DB --local --persist-to "$state" >/dev/null
# In its own process group, so that stopping it stops wrangler and workerd under npx too.
setsid npx wrangler dev --ip 127.0.0.1 --port "$port" --inspector-port $((port + 1000)) --persist-to "$state" >"$log" 2>&1 &
server=$!
trap 'kill -- -$server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$state"' EXIT
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.25; done
export BASE="http://127.0.0.1:$port"
echo "### accounts"; /usr/bin/python3 scripts/reference/accounts.py
echo "### mail"; /usr/bin/python3 scripts/reference/mail.py
echo "### links"; /usr/bin/python3 scripts/reference/links.py
echo "### files"; bash scripts/reference/files/run.sh
echo "### all reference examples succeeded"
