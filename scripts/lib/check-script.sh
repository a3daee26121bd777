# shellcheck shell=bash
# Sourced first by the checks (scripts/*-check.sh), after they set CHECK (their name):
# usage prints the check's header comment (from its line 2 to `set -euo`) for --help; say and
# die print lines prefixed with the name (die exits, with status 1 unless told);
# use_out_dir makes $OUT and turns it into an absolute path.
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[-1]}" | sed '$d; s/^# \{0,1\}//'; }
say() { echo "$CHECK: $*"; }
die() { say "FAIL: $1"; exit "${2:-1}"; }
use_out_dir() {
  mkdir -p "$OUT"
  OUT="$(cd "$OUT" && pwd)"
}
