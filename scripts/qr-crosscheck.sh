#!/usr/bin/env bash
# Independent check of the QR images outside the test suite (docs/qr.md): zbarimg (Debian
# zbar-tools) reads the PNGs, and the SVGs once headless Chromium has rendered them.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
node_modules/.bin/esbuild --bundle --platform=node --format=esm --log-level=warning \
  --outfile="$out/crosscheck.mjs" scripts/qr-crosscheck.ts
node "$out/crosscheck.mjs" "$out"
want="https://ww7.io/AbC123?qr"
failed=0
check() { # name, image
  got="$(zbarimg -q --raw "$2" 2>/dev/null || true)"
  if [ "$got" = "$want" ]; then echo "ok   $1"; else echo "FAIL $1: '$got'"; failed=$((failed + 1)); fi
}
for png in "$out"/*.png; do check "$(basename "$png")" "$png"; done
if command -v chromium >/dev/null; then
  for svg in "$out"/*.svg; do
    side=$(grep -o 'width="[0-9]*"' "$svg" | head -1 | tr -dc 0-9)
    shot="$out/$(basename "$svg" .svg).chromium.png"
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
      --default-background-color=ffffffff --window-size=$((side + 80)),$((side + 80)) \
      --screenshot="$shot" "file://$svg" >/dev/null 2>&1
    check "$(basename "$svg") (rendered by Chromium)" "$shot"
  done
fi
echo "$failed failed"
[ "$failed" -eq 0 ]
