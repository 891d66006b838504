#!/usr/bin/env bash
# vdsr-serve under repeated uploads: starts the server on a free local port, posts N uploads with curl
# (POST /api/upscale, every answer compared with the first), samples the server's resident memory
# (VmRSS) after each, and posts hostile files (truncated, garbage, a header claiming 100,000 x 100,000
# pixels) every 10 uploads, which must be answered 400 without the server going down. Then SIGTERM:
# the server must exit 0 and leave no work folder. Only 127.0.0.1 is contacted.
# Usage: bash bench/serve_rss.sh [image (default Set5/butterfly_GT.bmp)] [scale (default 2)] [uploads (default 50)]
#        (build first: dotnet build Vdsr.sln -c Release)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/built.sh"
serve_dll=$(built vdsr-serve.dll)
image="${1:-$root/Set5/butterfly_GT.bmp}"; scale="${2:-2}"; uploads="${3:-50}"
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
echo "cpu: $(cpu_model) ($(cpu_flags ' ')), $(nproc) logical CPUs"

# Hostile files: the image cut in half, 4 KiB of random bytes, and a PNG whose header claims 100,000 x 100,000.
head -c $(( $(stat -c %s "$image") / 2 )) "$image" > "$work/truncated.${image##*.}"
head -c 4096 /dev/urandom > "$work/garbage.png"
python3 - "$work/huge.png" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
with open(sys.argv[1], "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))
PY

(cd "$work" && exec dotnet "$serve_dll" --port 0 > "$work/serve.out" 2> "$work/serve.err") &
server_pid=$!
for _ in $(seq 600); do grep -q "Listening on" "$work/serve.out" 2>/dev/null && break; kill -0 "$server_pid" || { cat "$work/serve.err"; exit 1; }; sleep 0.1; done
url=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/serve.out" | head -1)
[ -n "$url" ] || { echo "vdsr-serve did not start"; cat "$work/serve.err"; exit 1; }
pid=$server_pid
head -n 1 "$work/serve.out"
echo "server $url, pid $pid; $uploads uploads of $(basename "$image") x$scale"

rss() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }
hwm() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }
echo "before the first upload: RSS $(rss) MiB"
samples=()
hostile_ok=0
start=$(date +%s.%N)
for i in $(seq "$uploads"); do
  code=$(curl -s --max-time 300 -o "$work/out.png" -w '%{http_code}' --data-binary "@$image" "$url/api/upscale?scale=$scale&name=$(basename "$image")")
  [ "$code" = 200 ] || { echo "upload $i: HTTP $code: $(cat "$work/out.png")"; exit 1; }
  if [ "$i" = 1 ]; then cp "$work/out.png" "$work/first.png"; else cmp -s "$work/out.png" "$work/first.png" || { echo "upload $i: a different PNG"; exit 1; }; fi
  if [ $((i % 10)) = 0 ]; then
    for bad in "truncated.${image##*.}" garbage.png huge.png; do
      answer=$(curl -s --max-time 60 -w ' %{http_code}' --data-binary "@$work/$bad" "$url/api/upscale?scale=$scale&name=$bad")
      [ "${answer##* }" = 400 ] || { echo "hostile $bad: $answer"; exit 1; }
      hostile_ok=$((hostile_ok + 1))
    done
    [ "$i" = 10 ] && echo "hostile answers: ${answer% *}"
  fi
  samples+=("$(rss)")
  printf 'upload %3d: RSS %s MiB\n' "$i" "${samples[-1]}"
done
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
health=$(curl -s --max-time 10 "$url/api/health")
echo "$hostile_ok hostile files answered 400; health after: ${health:0:40}..."
printf '%s\n' "${samples[@]}" | awk -v n="$uploads" -v s="$elapsed" -v hwm="$(hwm)" '
  { v[NR] = $1; if (NR == 1 || $1 > max) max = $1; if (NR == 1 || $1 < min) min = $1 }
  END {
    w = (n >= 10 ? 5 : 1)
    printf "RSS (MiB): after upload 1 %.1f, after %d %.1f, after %d %.1f (change %+.1f since upload %d); min %.1f, max %.1f; peak (VmHWM) %.1f\n",
      v[1], w, v[w], n, v[n], v[n] - v[w], w, min, max, hwm
    printf "%.1f s for %d uploads (%.2f s each, with the hostile posts)\n", s, n, s / n
  }'
work_folder=$(ls -d "${TMPDIR:-/tmp}"/.vdsr-serve."$pid"-*.tmp 2>/dev/null || true)
kill -TERM "$server_pid"; rc=0; wait "$server_pid" || rc=$?
server_pid=""
echo "after SIGTERM: exit code $rc; work folder ${work_folder:-?} $([ -n "$work_folder" ] && [ ! -e "$work_folder" ] && echo removed || echo 'STILL THERE')"
