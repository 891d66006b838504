#!/usr/bin/env bash
# Every speed comparison of the toolkit against PyTorch in one run, the cases alternated round by
# round so that a noisy machine hits both sides alike; prints one ratio table and writes a JSON file.
#   forward 256/512, fp32, bf16 and Winograd (fp32), 1 and 2 threads vs PyTorch NCHW, channels_last and bf16 autocast
#   train step (batch 16/64/128, 1 and 2 threads) vs the original training step
#   Set5 evaluation end to end: vdsr-eval vs eval.py's loop (default malloc and threads, as users run it)
#   the 4K upscale (1920x1080 x2) with vdsr-demo: wall time and peak RSS, fp32 and auto
# PyTorch is Debian's python3-torch (installed when run as root). PyTorch runs with malloc tuned by
# MALLOC_MMAP_MAX_/MALLOC_TRIM_THRESHOLD_ (the toolkit sets the same itself), except the eval loop.
# Environment: ROUNDS (3), TRAIN_ROUNDS (2), SIZES (256,512), BATCHES (16,64,128), OUT (bench/results.json).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
python=/usr/bin/python3
ROUNDS="${ROUNDS:-3}" TRAIN_ROUNDS="${TRAIN_ROUNDS:-2}" SIZES="${SIZES:-256,512}" BATCHES="${BATCHES:-16,64,128}"
OUT="${OUT:-$here/results.json}"

if ! "$python" -c "import torch, numpy" 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq python3-torch python3-numpy >/dev/null
  else
    echo "PyTorch is missing; install Debian's: sudo apt-get install python3-torch python3-numpy" >&2
    exit 1
  fi
fi
[ -x /usr/bin/time ] || { [ "$(id -u)" = 0 ] && apt-get install -y -qq time >/dev/null; } || { echo "GNU time is missing: sudo apt-get install time" >&2; exit 1; }

echo "== build (Release)"
dotnet build "$root/Vdsr.sln" -c Release -nologo -v q >/dev/null
. "$here/built.sh"
bench="$(built Vdsr.Bench.dll)"
evaltool="$(built vdsr-eval.dll)"
demotool="$(built vdsr-demo.dll)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
raw="$work/raw.txt"
tuned=(env MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736)
quiet() { grep -v -e NNPACK -e SourceChangeWarning -e dump_patches || true; }

cd "$root"
dotnet "$bench" export-set5 --out "$work/set5" >/dev/null
dotnet "$bench" make-photo --out "$work/photo.png" >/dev/null
echo "cpu model=$(cpu_model | sed 's/ /_/g') flags=$(cpu_flags ,) vcpus=$(nproc)" | tee -a "$raw"

for r in $(seq "$ROUNDS"); do
  echo "== forward, round $r of $ROUNDS"
  (cd "$here/pytorch" && "${tuned[@]}" "$python" forward.py --sizes "$SIZES" --thread-counts 1,2 --repeats 1 2>&1) | quiet | tee -a "$raw"
  dotnet "$bench" forward --sizes "$SIZES" --thread-counts 1,2 --plans fp32,bf16,winograd --repeats 1 2>&1 | quiet | tee -a "$raw"
done

for r in $(seq "$TRAIN_ROUNDS"); do
  for t in 1 2; do
    echo "== train step, $t thread(s), round $r of $TRAIN_ROUNDS"
    (cd "$here/pytorch" && "${tuned[@]}" "$python" train_step.py --batches "$BATCHES" --warmup 1 --steps 2 --threads "$t" 2>&1) | quiet | sed "s/^pytorch train-step/pytorch train-step threads=$t/" | tee -a "$raw"
    dotnet "$bench" train-step --batches "$BATCHES" --precisions fp32,bf16 --warmup 1 --steps 2 --rss-steps 0 --threads "$t" 2>&1 | quiet \
      | sed "s/^csharp train-step/csharp train-step threads=$t/" | tee -a "$raw"
  done
done

wall() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'; }
for r in 1 2; do
  echo "== Set5 evaluation end to end, round $r of 2"
  echo "pytorch eval-e2e seconds=$(cd "$here/pytorch" && wall "$python" eval_set5.py --model "$root/models/model_epoch_50.pth" --pairs "$work/set5")" | tee -a "$raw"
  echo "csharp eval-e2e seconds=$(wall dotnet "$evaltool" --dataset Set5 --cumulative-modcrop)" | tee -a "$raw"
done

echo "== 4K upscale (1920x1080 x2)"
for flags in "--precision fp32 --conv direct" "--precision fp32 --conv winograd" ""; do
  # shellcheck disable=SC2086 # the flags are words
  /usr/bin/time -f "%e %M" -o "$work/time.txt" dotnet "$demotool" --image "$work/photo.png" --scale 2 --output "$work/out" $flags >"$work/demo.txt" 2>&1
  ran=$(grep -o 'Precision: [a-z0-9]*.*convs: [a-z]*' "$work/demo.txt" | sed 's/Precision: \([a-z0-9]*\).*convs: \([a-z]*\)/\1_\2/')
  read -r seconds kb < "$work/time.txt"
  echo "csharp upscale-4k flags=${flags// /_} ran=$ran seconds=$seconds peak_rss_mb=$((kb / 1024))" | tee -a "$raw"
done

"$python" "$here/summarize.py" "$raw" "$OUT"
