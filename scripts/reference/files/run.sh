#!/usr/bin/env bash
# Runs the reference's file examples, as printed in the reference with only the base URL changed,
# against BASE (default http://127.0.0.1:8787; scripts/reference/run-all.sh starts a server). Debian's python3-pycryptodome installs the
# package as `Cryptodome`; the examples import `Crypto`, so a symlink in a temporary directory on
# PYTHONPATH gives them the name they use. Output in docs/files.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ln -s /usr/lib/python3/dist-packages/Cryptodome "$work/Crypto"
base="${BASE:-http://127.0.0.1:8787}"
for f in signup.py file.py get_protected_file_info.py; do
  sed "s#http://127.0.0.1:8794#${base}#g" "$here/$f" > "$work/$f"
done
export PYTHONPATH="$work"
cd "$work"
# sample-image.png: a real PNG of random pixels (about 54 kB, like the reference's).
/usr/bin/python3 - <<'PY'
import zlib, struct, os
w, h = 120, 150
raw = b"".join(b"\x00" + os.urandom(w * 3) for _ in range(h))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
open("sample-image.png", "wb").write(png)
PY
echo "== sample-image.png: $(stat -c %s sample-image.png) bytes, sha256 $(sha256sum sample-image.png | cut -c1-16)…"
echo "== signup.py"; /usr/bin/python3 "$work/signup.py"
echo "== file.py (ENCRYPT=0, plain)"; ENCRYPT=0 /usr/bin/python3 "$work/file.py"
echo "== file.py (encrypted, as printed)"; /usr/bin/python3 "$work/file.py"
echo "== get_protected_file_info.py"; /usr/bin/python3 "$work/get_protected_file_info.py"
echo "== downloaded-sample-image.png equals sample-image.png:"
cmp sample-image.png downloaded-sample-image.png && echo "yes, $(stat -c %s downloaded-sample-image.png) bytes identical"
