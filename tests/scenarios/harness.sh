# Shared harness for scenario tests (after ccache's test/run and mold's
# test/common.inc): a fresh HOME, config and state per scenario, C locale, and
# small assertion helpers. Each scenario file sources this and runs top to bottom.
set -euo pipefail
: "${BESRIG:?BESRIG must point at the besrig binary}"
: "${BESRIG_SRC:?BESRIG_SRC must point at the source tree}"
scenario=$(basename "$0" .sh)
work=$(mktemp -d "/tmp/besrig-scenario-$scenario.XXXXXX")
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_STATE_HOME="$work/home/.local/state" LC_ALL=C.UTF-8 NO_COLOR=1
unset BESRIG_CONFIG
for v in $(env | sed -n 's/^\(BESRIG_[A-Z0-9_]*\)=.*/\1/p'); do
  case "$v" in BESRIG|BESRIG_SRC|BESRIG_SIM_DIR|BESRIG_SHARED_BOARD|BESRIG_SHARED_BUILDS) ;; *) unset "$v" ;; esac
done
mkdir -p "$HOME"
cd "$work"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

fail() { echo "FAIL [$scenario]: $*" >&2; exit 1; }
skip() { echo "SKIPPED [$scenario]: $*" >&2; exit 77; }

# run_besrig ARGS...: runs besrig, keeping stdout, stderr and the exit code.
run_besrig() {
  set +e
  "$BESRIG" "$@" >"$work/out" 2>"$work/err"
  status=$?
  set -e
  out=$(cat "$work/out")
  err=$(cat "$work/err")
}
expect_status() { [ "$status" -eq "$1" ] || fail "expected exit $1, got $status; stderr: $err"; }
expect_out() { grep -qF -- "$1" "$work/out" || fail "stdout lacks '$1'; stdout: $out"; }
expect_err() { grep -qF -- "$1" "$work/err" || fail "stderr lacks '$1'; stderr: $err"; }
