#!/usr/bin/env bash
# QR benchmark (bench/qr.md): bundles bench/qr/worker.ts with wrangler's esbuild, serves it with
# `wrangler dev` on 127.0.0.1:8793 (inspector 9293), and times n QR codes per request, as
# get_entries with count n and a qr option makes them.
# Usage: bash bench/qr.sh [n] [rounds]; QUERIES="format=png&border=20 ..." to choose the cases.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wrangler-env.sh
N="${1:-1000}"
ROUNDS="${2:-5}"
PORT=8793
LOG="$(mktemp)"
setsid npx wrangler dev -c bench/qr/wrangler.toml --ip 127.0.0.1 --port "$PORT" --inspector-port 9293 \
  --log-level warn >"$LOG" 2>&1 &
PGID=$!
trap 'kill -- -"$PGID" 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$PORT/?n=1" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$PORT/?n=1" >/dev/null || { cat "$LOG"; exit 1; }
echo "node $(node --version), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# Warm up the isolate's JIT as a live worker would be, then measure.
for format in png svg; do curl -fsS "http://127.0.0.1:$PORT/?n=200&format=$format" >/dev/null; done
for query in ${QUERIES:-"format=png" "format=svg" "part=matrix" "format=png&level=H&border=8"}; do
  for round in $(seq 1 "$ROUNDS"); do
      out=$(curl -fsS -w ' %{time_total}' "http://127.0.0.1:$PORT/?n=$N&$query")
      node -e '
        const [json, wall] = [process.argv[1].slice(0, process.argv[1].lastIndexOf(" ")), process.argv[1].split(" ").pop()];
        const r = JSON.parse(json);
        console.log(`${r.format.padEnd(6)} n=${r.n} level=${r.level} border=${r.border} round ${process.argv[2]}: ` +
          `in-worker ${r.ms.toFixed(0)} ms (${(r.ms / r.n).toFixed(3)} ms/code), request ${(Number(wall) * 1000).toFixed(0)} ms, ` +
          `${(r.bytes / r.n).toFixed(0)} chars/code`);
      ' "$out" "$round"
  done
done
