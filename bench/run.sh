#!/usr/bin/env bash
# Runs the C# and the PyTorch train-step benchmarks in one session and prints C#/PyTorch ratios.
# Both use one compute thread and keep large blocks on the heap (the C# process sets the same
# malloc knobs itself via mallopt). Needs Debian's python3-torch (/usr/bin/python3).
# Environment: BATCHES (16,64,128), WARMUP (2), STEPS (5), RSS_BATCH (16), RSS_STEPS (500).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
BATCHES="${BATCHES:-16,64,128}" WARMUP="${WARMUP:-2}" STEPS="${STEPS:-5}"
RSS_BATCH="${RSS_BATCH:-16}" RSS_STEPS="${RSS_STEPS:-500}"
python="${PYTHON:-/usr/bin/python3}"

dotnet build -c Release "$here/Vdsr.Bench/Vdsr.Bench.csproj" -nologo -v q >/dev/null
bench="$(find "$here/Vdsr.Bench/bin/Release" -name Vdsr.Bench.dll | head -1)"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 \
  "$python" "$here/pytorch/train_step.py" --batches "$BATCHES" --warmup "$WARMUP" --steps "$STEPS" | tee -a "$out"
dotnet "$bench" train-step --batches "$BATCHES" --warmup "$WARMUP" --steps "$STEPS" \
  --rss-batch "$RSS_BATCH" --rss-steps "$RSS_STEPS" 2>&1 | grep -v NNPACK | tee -a "$out"

echo
echo "batch  pytorch_patches/s  csharp_patches/s  csharp/pytorch"
awk '
  /train-step/ { split($3, kv, "="); split($5, pv, "="); rate[$1, kv[2]] = pv[2]; seen[kv[2]] = 1 }
  END { for (n in seen) if (rate["pytorch", n] && rate["csharp", n])
          printf "%5d  %17.2f  %16.2f  %14.2fx\n", n, rate["pytorch", n], rate["csharp", n], rate["csharp", n] / rate["pytorch", n] }
' "$out" | sort -n
