#!/usr/bin/env bash
# Load and limits: vdsr-eval over 1,000 small images and vdsr-demo over 200, each folder with one
# unreadable file, sampling the tool's resident memory (VmRSS) as it runs; and the peak RSS of
# vdsr-demo refusing a PNG whose header claims 100,000 x 100,000 pixels.
# Usage: bash bench/load.sh [work folder]   (build first: dotnet build Vdsr.sln -c Release)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/built.sh"
eval_dll=$(built vdsr-eval.dll); demo_dll=$(built vdsr-demo.dll)
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
echo "cpu: $(cpu_model) ($(cpu_flags ' '))"

# Images: RGB PNGs of random sizes from 48x48 to 63x63 (up to 256 sizes) with varied content, and one
# truncated file per folder.
python3 - "$work" <<'PY'
import os, random, struct, sys, zlib
work = sys.argv[1]
def png(path, w, h, seed):
    rows = b"".join(b"\x00" + bytes(((x * 7 + y * 3 + seed * 11) ^ (x * y + seed)) & 255 for x in range(w) for _ in range(3)) for y in range(h))
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    with open(path, "wb") as f: f.write(data)
    return data
for folder, count in (("eval1000", 1000), ("demo200", 200)):
    os.makedirs(os.path.join(work, folder), exist_ok=True)
    sizes = random.Random(count)  # sizes drawn at random, so that the largest do not all come last
    for i in range(count):
        png(os.path.join(work, folder, f"img{i:04d}.png"), 48 + sizes.randrange(16), 48 + sizes.randrange(16), i)
    data = png(os.path.join(work, folder, "zz_truncated.png"), 64, 64, 1)
    with open(os.path.join(work, folder, "zz_truncated.png"), "wb") as f: f.write(data[: len(data) // 2])
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
with open(os.path.join(work, "huge.png"), "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))
PY

# Runs "$@" in the background, samples its VmRSS every 0.2 s, prints the samples' summary and the exit code.
sampled() {
  local name=$1; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  local pid=$! start=$SECONDS
  : >"$work/$name.rss"
  while kill -0 $pid 2>/dev/null; do
    awk '/^VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null >>"$work/$name.rss" || true
    sleep 0.2
  done
  local rc=0; wait $pid || rc=$?
  python3 - "$name" "$work/$name.rss" "$rc" "$((SECONDS - start))" <<'PY'
import sys
name, path, rc, seconds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
kb = [int(l) for l in open(path) if l.strip()]
n = len(kb)
# "start": a fifth into the run, when libtorch and the network are loaded and the first images are done
at = lambda f: kb[min(n - 1, int(f * n))]
start = at(0.2)
print(f"{name}: {seconds} s, exit code {rc}, {n} RSS samples: start {start / 1024:.0f} MiB, end {kb[-1] / 1024:.0f} MiB, "
      f"peak {max(kb) / 1024:.0f} MiB, end - start {(kb[-1] - start) / 1024:+.0f} MiB")
print(f"{name}: MiB at 20%, 30%, ..., 100% of the run: " + " ".join(f"{at(f / 10) / 1024:.0f}" for f in range(2, 11)))
PY
}

sampled eval1000 dotnet "$eval_dll" --dataset "$work/eval1000" --scale 2,3,4
grep -E "skipped|error" "$work/eval1000.err" || true
grep -E "^x[234] " "$work/eval1000.out" || true
sampled demo200 dotnet "$demo_dll" --image "$work/demo200" --scale 2 --output "$work/demo200-out"
grep -E "skipped|error" "$work/demo200.err" || true
echo "demo200: $(ls "$work/demo200-out" | wc -l) images written"

if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "huge header: peak RSS of the whole vdsr-demo process %M KiB, exit %x" dotnet "$demo_dll" --image "$work/huge.png" --output "$work/huge-out" 2>&1 | tail -2
else
  echo "huge header: /usr/bin/time is not installed here (apt-get install time); skipped"
fi
