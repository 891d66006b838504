# Sourced by the bench scripts. `built NAME` prints the path of NAME in the one folder every project
# of the solution builds into (Release), or stops the script when it is not there.
built() {
  local path="$root/artifacts/bin/Release/$1"
  [ -f "$path" ] || { echo "$1 was not built into artifacts/bin/Release" >&2; exit 1; }
  echo "$path"
}

# `cpu_model` and `cpu_flags SEPARATOR`: what every bench report names (the flags that change speed 2x).
cpu_model() { grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'; }
cpu_flags() { grep -m1 '^flags' /proc/cpuinfo | grep -o -w -e avx2 -e avx512f -e avx512_bf16 -e amx_bf16 | paste -sd "$1"; }
