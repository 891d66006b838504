#!/usr/bin/env bash
# Deployment of the ONNX export in one run: the file sizes of the checkpoint and its fp32 and int8
# ONNX exports, for the bundled model and for it pruned (L1, sparsity 0.5); the exports (opset 17 and
# 13) through Debian's python3-onnx checker (full_check=True; installed when missing and run as root;
# run by /usr/bin/python3, Debian's, which a python3 earlier on PATH may not be); and whole-image
# forward times of TorchSharp (fp32, winograd, bf16) against ONNX Runtime (fp32, int8) at each size
# and thread count, alternated round by round (Vdsr.Bench onnx). Prints a markdown summary at the end.
# Usage: bash bench/onnx.sh [work folder: keeps the exports]   (build first: dotnet build Vdsr.sln -c Release)
# Environment: MODEL (models/model_epoch_50.pth), CALIBRATION (data/train.h5; both relative to the
# repository root), SIZES (256,512), THREADS (1,2), REPEATS (3: best of, after a warm-up round).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python=/usr/bin/python3
source "$root/bench/built.sh"
bench=$(built Vdsr.Bench.dll); convert=$(built vdsr-convert.dll); prune=$(built vdsr-prune.dll)
MODEL="${MODEL:-models/model_epoch_50.pth}" CALIBRATION="${CALIBRATION:-data/train.h5}"
SIZES="${SIZES:-256,512}" THREADS="${THREADS:-1,2}" REPEATS="${REPEATS:-3}"
if [ "$#" -gt 0 ]; then mkdir -p "$1"; work="$(cd "$1" && pwd)"; else work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi
cd "$root"
start=$SECONDS
cpu="$(cpu_model) ($(cpu_flags ' ')), $(nproc) vCPUs"
echo "cpu: $cpu"

echo "== pruning (l1, sparsity 0.5) and exporting into $work"
dotnet "$prune" --model "$MODEL" --sparsity 0.5 --no-eval --timing-repeats 0 --output "$work/pruned.safetensors" >"$work/prune.log" 2>&1 \
  || { cat "$work/prune.log" >&2; exit 1; }
grep -m1 "Pruned" "$work/prune.log"
# export NAME CHECKPOINT FORMAT OPSET
export_onnx() {
  dotnet "$convert" "$2" "$work/$1.onnx" --format "$3" --opset "$4" --calibration "$CALIBRATION" >"$work/$1.log" 2>&1 \
    || { cat "$work/$1.log" >&2; exit 1; }
  grep -- "->" "$work/$1.log"
}
export_onnx original-fp32-opset17 "$MODEL" onnx 17
export_onnx original-int8-opset17 "$MODEL" onnx-int8 17
export_onnx original-fp32-opset13 "$MODEL" onnx 13
export_onnx original-int8-opset13 "$MODEL" onnx-int8 13
export_onnx pruned-fp32-opset17 "$work/pruned.safetensors" onnx 17
export_onnx pruned-int8-opset17 "$work/pruned.safetensors" onnx-int8 17
calibrated="$(grep -m1 "^Calibrating on" "$work/original-int8-opset17.log" | sed 's/^Calibrating on //')"

echo "== ONNX checker (python3-onnx, full_check=True)"
checks="$work/checks.md"
missing=""
if ! "$python" -c 'import onnx' 2>/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    missing="not root: sudo apt-get install python3-onnx"
  elif ! { apt-get install -y -qq python3-onnx || { apt-get update -qq && apt-get install -y -qq python3-onnx; }; } >"$work/apt.log" 2>&1; then
    missing="apt-get install python3-onnx failed: $(grep -v '^\s*$' "$work/apt.log" | tail -1)"
  else
    missing="python3-onnx is installed, but $python cannot import onnx"
  fi
fi
if onnx_version="$("$python" -c 'import onnx; print(onnx.__version__)' 2>/dev/null)"; then
  echo "| file | python3-onnx $onnx_version checker |" >"$checks"
  echo "|---|---|" >>"$checks"
  for f in original-fp32-opset17 original-int8-opset17 original-fp32-opset13 original-int8-opset13 pruned-fp32-opset17 pruned-int8-opset17; do
    if "$python" -c "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True)" "$work/$f.onnx" >"$work/$f.check" 2>&1; then
      result="passed"
    else
      # the exception and its message, which may span lines, as one line
      result="FAILED: $(sed -En '/^[A-Za-z_][A-Za-z0-9_.]*(Error|Exception):/,$p' "$work/$f.check" | tr -s '\n ' ' ' | cut -c1-300)"
      checker_failed=1
    fi
    echo "$f.onnx: $result"
    echo "| $f.onnx | $result |" >>"$checks"
  done
else
  line="ONNX checker skipped: no python3-onnx ($missing)"
  echo "$line"
  echo "$line" >"$checks"
fi

echo "== forward: TorchSharp vs ONNX Runtime, sizes $SIZES, threads $THREADS, best of $REPEATS"
dotnet "$bench" onnx --model "$MODEL" --fp32 "$work/original-fp32-opset17.onnx" --int8 "$work/original-int8-opset17.onnx" \
  --sizes "$SIZES" --thread-counts "$THREADS" --repeats "$REPEATS" >"$work/forward.txt"
grep "^onnx " "$work/forward.txt"

echo "== summary"
"$python" - "$work" "$MODEL" "$(stat -c %s "$MODEL")" <<'PY' >"$work/sizes.md"
import os, sys
work, model, model_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
pruned = os.path.join(work, "pruned.safetensors")
rows = [("original checkpoint", os.path.basename(model), model_bytes, model_bytes)]
for name, label in (("original-fp32-opset17", "original fp32 .onnx (opset 17)"), ("original-int8-opset17", "original int8 .onnx (opset 17)"),
                    ("original-fp32-opset13", "original fp32 .onnx (opset 13)"), ("original-int8-opset13", "original int8 .onnx (opset 13)")):
    rows.append((label, name + ".onnx", os.path.getsize(os.path.join(work, name + ".onnx")), model_bytes))
pruned_bytes = os.path.getsize(pruned)
rows.append(("pruned 0.5 checkpoint", "pruned.safetensors", pruned_bytes, pruned_bytes))
for name, label in (("pruned-fp32-opset17", "pruned 0.5 fp32 .onnx (opset 17)"), ("pruned-int8-opset17", "pruned 0.5 int8 .onnx (opset 17)")):
    rows.append((label, name + ".onnx", os.path.getsize(os.path.join(work, name + ".onnx")), pruned_bytes))
print("| model file | file | bytes | vs original checkpoint | vs its own checkpoint |")
print("|---|---|---:|---:|---:|")
for label, name, size, own in rows:
    print(f"| {label} | {name} | {size:,} | {size / model_bytes:.2f}x | {size / own:.2f}x |")
PY
ort="$(grep -m1 -o 'onnxruntime=[^ ]*' "$work/forward.txt" | cut -d= -f2)"
cat <<EOF

## ONNX export, ONNX Runtime backend, int8: deployment bench

- CPU: $cpu
- model: $MODEL; pruned: vdsr-prune --sparsity 0.5 (l1); int8 calibrated on $calibrated
- ONNX Runtime $ort; forward: whole image, sizes $SIZES, threads $THREADS, best of $REPEATS after a warm-up round
- run time: $((SECONDS - start)) s

### File sizes

$(cat "$work/sizes.md")

### ONNX checker

$(cat "$checks")

### Forward latency

$(grep -v "^onnx " "$work/forward.txt" | sed '/./,$!d')
EOF
[ -z "${checker_failed:-}" ] || { echo "the ONNX checker rejected an export (see above)" >&2; exit 1; }
