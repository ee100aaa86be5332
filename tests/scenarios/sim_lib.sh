# Shared helpers for the fault suite (source after harness.sh): boot a board of
# this scenario's own (these faults break the board, so none shares one),
# build b and c-prep into the bundle (reused from the ctest fixture
# module_builds when it ran: seed_build), start a short Phase 7 of c-prep in
# the background, wait until it stores samples, and the checks every fault
# test ends with (stored data intact, board identity, no process or port left
# behind). b, q, on_board and the tool checks are board_lib.sh's.
. "$BESRIG_SRC/tests/scenarios/board_lib.sh"
require_board_tools iperf3 sqlite3 jq

export BESRIG_SIM_DIR="$work/sim"
state="$BESRIG_SIM_DIR/ohm"
run_pid=
t0=$(date +%s)
sim_finish() {
  local rc=$?
  [ -n "$run_pid" ] && kill -9 "$run_pid" 2>/dev/null || true
  "$BESRIG" --config "$work/rig.json" sim thaw >/dev/null 2>&1 || true
  "$BESRIG" --config "$work/rig.json" sim down >/dev/null 2>&1 || true
  echo "[$scenario] $(( $(date +%s) - t0 )) s, exit $rc" >&2
  cleanup
}
trap sim_finish EXIT

# on_board: a frozen or cut board must fail a command within seconds here.
on_board_opts=(-o ConnectTimeout=10 -o ServerAliveInterval=2 -o ServerAliveCountMax=3)

# fault_rig_json SECONDS [JSON-MEMBERS]: rig.json with a one-step profile of
# SECONDS (plus extra top-level members, each ending in a comma).
fault_rig_json() {
  cat > "$work/rig.json" <<JSON
{ ${2:-}
  "board": { "kind": "sim", "sim_name": "ohm" },
  "phase7": { "profile": "fault", "reps": 1 },
  "profiles": { "fault": { "fresh_chip": "reload", "uptime_window_s": 3600,
    "steps": [ { "name": "rx-4M", "direction": "rx", "rate_mbytes": 4, "streams": 1, "seconds": $1, "omit": 2 } ] } }
}
JSON
}
# build_b_and_prep: b and c-prep in this scenario's store (the fixture
# module_builds' builds reused when there are any), told apart by srcversion.
build_b_and_prep() {
  build_patches b c-prep
  srcb=$(q "SELECT srcversion FROM builds WHERE patch = 'b' ORDER BY id DESC LIMIT 1")
  srcp=$(q "SELECT srcversion FROM builds WHERE patch = 'c-prep' ORDER BY id DESC LIMIT 1")
  [ -n "$srcb" ] && [ -n "$srcp" ] && [ "$srcb" != "$srcp" ] || fail "builds of b ($srcb) and c-prep ($srcp) not told apart"
}

# sim_boot SECONDS [JSON-MEMBERS]: rig.json with a one-step profile of SECONDS
# (plus extra top-level members, each ending in a comma), the board up, b and c-prep built.
sim_boot() {
  fault_rig_json "$@"
  b sim up --boot-timeout 300
  expect_status 0
  build_b_and_prep
}

samples_of() { q "SELECT count(*) FROM samples JOIN steps ON samples.step_id = steps.id JOIN reps ON steps.rep_id = reps.id WHERE reps.run_id = $1"; }

# start_run [ARGS...]: Phase 7 of c-prep in the background; waits for its run
# and at least 5 stored samples; sets run_pid, run_id, before (samples then).
start_run() {
  "$BESRIG" --config "$work/rig.json" run phase7 --patch c-prep --no-prediction "$@" >"$work/run.out" 2>"$work/run.err" &
  run_pid=$!
  run_id=
  local n=0
  for _ in $(seq 1 600); do
    kill -0 "$run_pid" 2>/dev/null || fail "phase7 ended before the fault (run ${run_id:-?}, last sample count seen ${n:-?}): $(cat "$work/run.out" "$work/run.err")"
    [ -n "$run_id" ] || run_id=$(q "SELECT max(id) FROM runs WHERE patch = 'c-prep' AND kind = 'phase7'" 2>/dev/null || true)
    [ -n "$run_id" ] && n=$(samples_of "$run_id" 2>/dev/null || echo 0)
    [ "${n:-0}" -ge 5 ] && break
    sleep 0.5
  done
  [ "${n:-0}" -ge 5 ] || fail "no samples stored after 300 s: $(cat "$work/run.err")"
  before=$(samples_of "$run_id")
  echo "[$scenario] run $run_id storing samples ($before) at +$(( $(date +%s) - t0 )) s" >&2
}

# wait_run SECONDS: the background run must end by itself within SECONDS (no
# hang); sets status, out, err.
wait_run() {
  local until=$(( $(date +%s) + $1 ))
  while kill -0 "$run_pid" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$until" ]; then
      kill -9 "$run_pid" 2>/dev/null || true
      fail "phase7 hung: still running $1 s after the fault; stderr: $(tail -20 "$work/run.err")"
    fi
    sleep 1
  done
  set +e; wait "$run_pid"; status=$?; set -e
  run_pid=
  out=$(cat "$work/run.out"); err=$(cat "$work/run.err")
  echo "[$scenario] exit $status: $(grep -E '^[A-Z_]+ — run' "$work/run.out" || true)" >&2
}

# expect_verdict NAME EXIT: printed, stored, and the exit code.
expect_verdict() {
  [ "$status" -eq "$2" ] || fail "expected exit $2, got $status; stdout: $out; stderr: $(tail -15 "$work/run.err")"
  grep -q "^$1 — run $run_id" "$work/run.out" || fail "expected verdict $1; stdout: $out; stderr: $(tail -15 "$work/run.err")"
  [ "$(q "SELECT verdict FROM runs WHERE id = $run_id")" = "$1" ] || fail "stored verdict: $(q "SELECT verdict, status FROM runs WHERE id = $run_id")"
}

# expect_data_kept: every sample stored before the fault is still there; the store is sound.
expect_data_kept() {
  local now
  now=$(samples_of "$run_id")
  [ "$now" -ge "$before" ] || fail "samples lost: $before before the fault, $now now"
  [ "$(q "PRAGMA integrity_check")" = ok ] || fail "store integrity: $(q "PRAGMA integrity_check")"
  [ "$(q "SELECT status FROM runs WHERE id = $run_id")" != running ] || fail "run $run_id left 'running'"
}

# expect_running_b: the board answers and runs the rollback build b.
expect_running_b() {
  b status --json
  expect_status 0
  local running installed
  running=$(jq -r '.module.running.srcversion // "none"' "$work/out")
  installed=$(jq -r '.module.installed.srcversion // "none"' "$work/out")
  [ "$running" = "$srcb" ] || fail "board runs srcversion $running, not b ($srcb): $out"
  [ "$installed" = "$srcb" ] || fail "board has srcversion $installed installed, not b ($srcb): a reboot would load it"
}

# expect_nothing_left: no besrig process of this scenario, no iperf3 server
# writing into its HOME, no port of such a server still listening.
expect_nothing_left() {
  local p left=""
  pgrep -f -- "--config $work/rig.json run" >/dev/null && left="besrig: $(pgrep -af -- "--config $work/rig.json run")"
  for p in $(pgrep -x iperf3 || true); do
    if readlink "/proc/$p/fd/1" 2>/dev/null | grep -q "^$work/"; then
      left="$left iperf3 pid $p ($(tr '\0' ' ' <"/proc/$p/cmdline")); $(ss -ltnpH 2>/dev/null | grep "pid=$p," || true)"
    fi
  done
  [ -z "$left" ] || fail "left behind: $left"
}

# sim_shared SECONDS [JSON-MEMBERS]: sim_boot's rig.json and builds, but on the
# board of the ctest fixture fault_deploy_board (BESRIG_SHARED_BOARD, booted
# once for every board scenario) instead of a boot of its own; without the
# fixture (run by hand) it is sim_boot. At exit the shared board is left up,
# running b, for the next scenario: thawed, its link up, rolled back.
sim_shared() {
  if [ -z "${BESRIG_SHARED_BOARD:-}" ]; then
    sim_boot "$@"
    return
  fi
  [ -f "$BESRIG_SHARED_BOARD/ohm/known_hosts" ] || skip "the fixture booted no board in $BESRIG_SHARED_BOARD (see scenario.fault_deploy_board_up)"
  export BESRIG_SIM_DIR="$BESRIG_SHARED_BOARD"
  state="$BESRIG_SIM_DIR/ohm"
  trap sim_shared_finish EXIT
  fault_rig_json "$@"
  b status --json
  [ "$status" -eq 0 ] || fail "the fixture's board does not answer: $err"
  build_b_and_prep
}
sim_shared_finish() {
  local rc=$?
  [ -n "$run_pid" ] && kill -9 "$run_pid" 2>/dev/null || true
  "$BESRIG" --config "$work/rig.json" sim thaw >/dev/null 2>&1 || true
  "$BESRIG" --config "$work/rig.json" sim link mgmt up >/dev/null 2>&1 || true
  if ! "$BESRIG" --config "$work/rig.json" rollback >/dev/null 2>&1; then
    "$BESRIG" --config "$work/rig.json" power cycle >/dev/null 2>&1 || true
    "$BESRIG" --config "$work/rig.json" rollback >/dev/null 2>&1 \
      || echo "[$scenario] warning: the shared board was not rolled back to b" >&2
  fi
  echo "[$scenario] $(( $(date +%s) - t0 )) s, exit $rc" >&2
  cleanup
  exit $rc
}
