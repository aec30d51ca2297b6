#!/usr/bin/env bash
# npm run bench: redirect throughput of the product against a worker that answers a fixed 302.
# Starts both with `wrangler dev` on 127.0.0.1 (product :8791, fixed-302 :8801; fresh local state
# in a temporary directory), creates links through the API, loads each target with wrk for
# BENCH_SECONDS (after a short warm-up) and prints req/s, p50, p99 and the ratio to the fixed 302
# (measured right before and right after each target).
# Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wrangler-env.sh

SECONDS_EACH="${BENCH_SECONDS:-10}"
WARMUP_S="${BENCH_WARMUP_SECONDS:-2}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-50}"
PRODUCT_PORT=8791
FIXED_PORT=8801
PRODUCT="http://127.0.0.1:${PRODUCT_PORT}"
FIXED="http://127.0.0.1:${FIXED_PORT}"

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install -y wrk)" >&2; exit 1; }

STATE="$(mktemp -d -t ww7-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  # workerd may take a moment to let go of its ports.
  for _ in $(seq 1 20); do
    ss -ltn 2>/dev/null | grep -qE ":(${PRODUCT_PORT}|${FIXED_PORT}|9291|9301) " || break
    sleep 0.25
  done
  rm -rf "$STATE"
}
trap cleanup EXIT INT TERM

wait_ready() { # url
  for _ in $(seq 1 120); do
    if curl -s -o /dev/null --max-time 1 "$1"; then return 0; fi
    sleep 0.5
  done
  echo "not ready: $1" >&2
  exit 1
}

echo "== starting the product on ${PRODUCT} and the fixed-302 worker on ${FIXED}"
npx wrangler d1 migrations apply DB --local --persist-to "$STATE" >/dev/null
setsid npx wrangler dev --ip 127.0.0.1 --port "$PRODUCT_PORT" --inspector-port 9291 \
  --persist-to "$STATE" --log-level warn >"$STATE/product.log" 2>&1 &
PIDS+=($!)
setsid npx wrangler dev --config bench/fixed-302/wrangler.toml --ip 127.0.0.1 --port "$FIXED_PORT" \
  --inspector-port 9301 --persist-to "$STATE/fixed" --log-level warn >"$STATE/fixed.log" 2>&1 &
PIDS+=($!)
wait_ready "${PRODUCT}/v2/openapi.json"
wait_ready "${FIXED}/"

call() { # type json -> output json
  curl -s -X POST "${PRODUCT}/v2/$1" --data "$2"
}
field() { # json path (dots) -> value
  node -e 'let v=JSON.parse(require("fs").readFileSync(0,"utf8"));for(const k of process.argv[1].split("."))v=v[k];process.stdout.write(String(v))' "$1"
}

USERID="$(call temporary_account '{}' | field output.userid)"
UNLIMITED="$(call url "{\"userid\":\"$USERID\",\"url\":\"https://example.com/unlimited\"}" | field output.entry.shorturl)"
LIMITED="$(call url "{\"userid\":\"$USERID\",\"url\":\"https://example.com/limited\",\"expiration_count\":1000000000000}" | field output.entry.shorturl)"
code() { echo "${1##*/}"; }
# Short URLs are https://ww7.io/<code>; locally the code resolves against the default host.
declare -A TARGETS=(
  [fixed-302]="${FIXED}/AnyCode1"
  [unlimited]="${PRODUCT}/$(code "$UNLIMITED")"
  [limited]="${PRODUCT}/$(code "$LIMITED")"
  [miss]="${PRODUCT}/NoSuchCode1"
)
for name in fixed-302 unlimited limited miss; do
  status="$(curl -s -o /dev/null -w '%{http_code}' "${TARGETS[$name]}")"
  echo "   ${name}: ${TARGETS[$name]} answers ${status}"
done

to_ms() { # wrk latency like 12.34ms / 850.00us / 1.20s -> ms
  awk -v v="$1" 'BEGIN{ n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.2f", n }'
}

# The machine's load drifts, so every product target runs between two fixed-302 runs and its ratio
# is to the mean of those two: F U F L F M F.
declare -A RPS P50 P99 TOTAL RATIO
FIXED_RPS=()
measure() { # name url -> sets LAST_RPS LAST_P50 LAST_P99 LAST_TOTAL
  local out warm
  warm="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_S}s" "$2")"
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$2")"
  LAST_RPS="$(awk '/^Requests\/sec:/{print $2}' <<<"$out")"
  LAST_P50="$(to_ms "$(awk '$1=="50%"{print $2}' <<<"$out")")"
  LAST_P99="$(to_ms "$(awk '$1=="99%"{print $2}' <<<"$out")")"
  # requests answered, warm-up included (what the click counts are checked against)
  LAST_TOTAL="$(cat <<<"$warm"$'\n'"$out" | awk '/requests in/{n+=$1} END{print n}')"
  local errors
  errors="$(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | paste -sd ';' || true)"
  echo "   $1: ${LAST_RPS} req/s${errors:+ (${errors})}"
}
measure fixed-302 "${TARGETS[fixed-302]}"
FIXED_RPS+=("$LAST_RPS")
F_P50=("$LAST_P50")
F_P99=("$LAST_P99")
for name in unlimited limited miss; do
  before="$LAST_RPS"
  measure "$name" "${TARGETS[$name]}"
  RPS[$name]="$LAST_RPS"
  P50[$name]="$LAST_P50"
  P99[$name]="$LAST_P99"
  TOTAL[$name]="$LAST_TOTAL"
  measure fixed-302 "${TARGETS[fixed-302]}"
  FIXED_RPS+=("$LAST_RPS")
  F_P50+=("$LAST_P50")
  F_P99+=("$LAST_P99")
  RATIO[$name]="$(awk -v a="${RPS[$name]}" -v b="$before" -v c="$LAST_RPS" 'BEGIN{printf "%.2f", a/((b+c)/2)}')"
done
mean() { printf "%s\n" "$@" | awk '{s+=$1} END{printf "%.2f", s/NR}'; }
RPS[fixed-302]="$(mean "${FIXED_RPS[@]}")"
P50[fixed-302]="$(mean "${F_P50[@]}")"
P99[fixed-302]="$(mean "${F_P99[@]}")"
RATIO[fixed-302]="1.00"

echo
echo "== $(date -u +%Y-%m-%dT%H:%MZ), wrk -t${THREADS} -c${CONNECTIONS} -d${SECONDS_EACH}s on 127.0.0.1, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   fixed-302 runs: ${FIXED_RPS[*]} req/s (its row is their mean)"
printf "%-10s %12s %10s %10s %14s\n" target "req/s" "p50 ms" "p99 ms" "ratio to 302"
for name in fixed-302 unlimited limited miss; do
  printf "%-10s %12s %10s %10s %14s\n" "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "${RATIO[$name]}"
done

# Every click counted: get_entry against the answers wrk received (warm-up included; wrk does not
# count the requests still in flight when it stops, so the server may count up to 2 × -c more).
sleep 2
for name in unlimited limited; do
  short="$UNLIMITED"
  [ "$name" = limited ] && short="$LIMITED"
  counted="$(call get_entry "{\"userid\":\"$USERID\",\"shorturl\":\"$short\"}" | field output.entry.count)"
  echo "   ${name}: get_entry counts ${counted} clicks; wrk received ${TOTAL[$name]} answers"
done
