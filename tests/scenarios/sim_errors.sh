# `besrig sim` without booting anything: missing prerequisites name the Debian
# package, a stale PID file is detected and removed, bad names are refused.
. "$(dirname "$0")/harness.sh"

state="$XDG_STATE_HOME/besrig/sim"

# No QEMU on PATH: the error names the package to install.
run_besrig_path() { local p=$1; shift; set +e; PATH=$p "$BESRIG" "$@" >"$work/out" 2>"$work/err"; status=$?; set -e
  out=$(cat "$work/out"); err=$(cat "$work/err"); }
run_besrig_path /nonexistent sim up --name nope
expect_status 2
expect_err "apt-get install qemu-system-x86"
pgrep -f -- "$state/nope" >/dev/null && fail "something started for board nope"

# A PID file whose process is gone: status says down, warns, cleans up.
mkdir -p "$state/stale"
sleep 0.1 & dead=$!; wait $dead
printf '{"name":"stale","pid":%d,"pid_start_ticks":1,"ssh_port":10099}\n' "$dead" > "$state/stale/board.json"
run_besrig sim status --name stale
expect_status 3
expect_out "down"
expect_err "stale PID file"
[ ! -e "$state/stale/board.json" ] || fail "stale board.json not removed"

# A live PID that is not our QEMU (PID reuse) is not mistaken for the board.
printf '{"name":"reused","pid":%d,"pid_start_ticks":1,"ssh_port":10099}\n' "$$" > "$state/stale/board.json"
run_besrig sim status --name stale
expect_status 3
run_besrig sim down --name stale
expect_status 0
expect_out "was not running"
kill -0 $$ || fail "sim down killed an unrelated process"

# Names are plain names.
run_besrig sim status --name ../etc
expect_status 2
expect_err "--name"

# Levers on a board that is not running say so.
run_besrig sim link --name stale mgmt down
expect_status 2
expect_err "not reachable"
run_besrig sim link --name stale wifi down
expect_status 2
expect_err "expected mgmt or data"
echo "ok: sim_errors" >&2
