#!/usr/bin/env bash
# Training race: PyTorch's original main_vdsr.py loop against vdsr-train configurations, for the same
# training time on the same HDF5 file, at the same time, one core each (taskset), one compute
# thread each. Each contender runs as a pair with its own run of the original. Both sides save the
# model when their training clock passes each mark (steps and data loading; not saves or
# evaluations); afterwards every snapshot is evaluated on Set5 with vdsr-eval and one table is printed.
#
#   bench/train_race.sh [name="vdsr-train flags"]...      (default: defaults="" paper="--recipe paper" fast="--recipe fast")
#
# Environment: DATA (data/train.h5; the race in the README used T91 made by vdsr-prepare), MINUTES
# (10,20,30: marks, multiples of the first), SET5 (Set5: the bundled images; a folder of the
# original's <name>_x<s>.mat files also works), OUT (bench/race: snapshots, logs, race.json).
# PyTorch is Debian's python3-torch and python3-h5py (installed when run as root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
python=/usr/bin/python3
DATA="${DATA:-$root/data/train.h5}" MINUTES="${MINUTES:-10,20,30}" SET5="${SET5:-$root/Set5}" OUT="${OUT:-$here/race}"
[ "$#" -gt 0 ] || set -- "defaults=" "paper=--recipe paper" "fast=--recipe fast"

if ! "$python" -c "import torch, h5py" 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq python3-torch python3-h5py python3-numpy >/dev/null
  else
    echo "PyTorch or h5py is missing; install Debian's: sudo apt-get install python3-torch python3-h5py python3-numpy" >&2
    exit 1
  fi
fi
[ "$(nproc)" -ge 2 ] || { echo "the race needs 2 CPUs (one per side); this machine has $(nproc)" >&2; exit 1; }
[ -f "$DATA" ] || { echo "$DATA: training file not found (make one with vdsr-prepare, or set DATA)" >&2; exit 1; }

echo "== build (Release)"
dotnet build "$root/src/Vdsr.Train" -c Release -nologo -v q >/dev/null
dotnet build "$root/src/Vdsr.Eval" -c Release -nologo -v q >/dev/null
. "$here/built.sh"
train="$(built vdsr-train.dll)"
evaltool="$(built vdsr-eval.dll)"
first="${MINUTES%%,*}"
last="${MINUTES##*,}"
mkdir -p "$OUT"
cpu="$(cpu_model) ($(cpu_flags ' '))"
echo "cpu: $cpu"
echo "data: $DATA; marks: $MINUTES minutes of training; Set5: $SET5"

for pair in "$@"; do
  name="${pair%%=*}" flags="${pair#*=}"
  dir="$OUT/$name"
  rm -rf "$dir" && mkdir -p "$dir/original" "$dir/csharp"
  echo "== pair '$name': original vs vdsr-train $flags ($last minutes)"
  (cd "$here/pytorch" && exec taskset -c 0 env MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 \
     "$python" train_original.py --data "$DATA" --out "$dir/original" --minutes "$MINUTES") > "$dir/original.log" 2>&1 &
  original=$!
  # No validation unless the contender asks for some (it runs off the training clock, on the contender's own core).
  val="--no-val"; case " $flags " in *" --val-"*) val="" ;; esac
  # shellcheck disable=SC2086
  taskset -c 1 dotnet "$train" $flags $val --data "$DATA" --compute-threads 1 --checkpoint-every-minutes "$first" \
     --checkpoint-dir "$dir/csharp" > "$dir/csharp.log" 2>&1 &
  ours=$!
  # vdsr-train stops (SIGTERM, as a background job ignores SIGINT: it finishes the step and checkpoints) once its clock has passed the last mark.
  while kill -0 "$ours" 2>/dev/null; do
    sleep 5
    if [ -f "$dir/csharp/training_log.csv" ] && awk -F, -v s="$((last * 60))" 'NR > 1 && $NF >= s { found = 1 } END { exit !found }' "$dir/csharp/training_log.csv"; then
      sleep 2; kill -TERM "$ours" 2>/dev/null || true; break
    fi
  done
  wait "$ours" || true
  wait "$original" || { echo "the original's loop failed: see $dir/original.log" >&2; exit 1; }
  grep "original snapshot" "$dir/original.log" || true
done

echo "== evaluating the snapshots on Set5"
for pair in "$@"; do
  name="${pair%%=*}"
  dir="$OUT/$name"
  for m in ${MINUTES//,/ }; do
    dotnet "$evaltool" --model "$dir/original/snapshot_${m}min.pth" --dataset "$SET5" --json "$dir/original_${m}.json" > /dev/null
    ckpt="$("$python" "$here/race_checkpoint.py" "$dir/csharp" "$m")"
    dotnet "$evaltool" --model "$ckpt" --dataset "$SET5" --json "$dir/csharp_${m}.json" > /dev/null
  done
done
"$python" "$here/race_table.py" --out "$OUT" --minutes "$MINUTES" --cpu "$cpu" "$@"
