# Sourced by the bench scripts: `built NAME` prints the path of NAME in the one folder every project
# of the solution builds into (Release), or stops the script when it is not there.
built() {
  local path="$root/artifacts/bin/Release/$1"
  [ -f "$path" ] || { echo "$1 was not built into artifacts/bin/Release" >&2; exit 1; }
  echo "$path"
}
