#!/usr/bin/env bash
# npm start: apply the local D1 migrations, then serve the whole product on http://127.0.0.1:8787
# with state persisted under .wrangler/. Needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wrangler-env.sh
npx wrangler d1 migrations apply DB --local >/dev/null
echo "migrations applied; serving on http://127.0.0.1:${PORT:-8787}"
exec npx wrangler dev --ip 127.0.0.1 --port "${PORT:-8787}" "$@"
