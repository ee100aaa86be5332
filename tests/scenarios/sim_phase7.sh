# End-to-end (label e2e): the seed's story on a real QEMU board with the real
# stand-in module, through the real besrig binary:
#   baseline of b (PASS); Phase 7 of c: the race storms, the run FAILs or is
#   WEDGED with exit 1, forensics saved, rollback to b proven on the board;
#   a Phase 7 of c-prep SIGKILLed mid-run is marked aborted by the next
#   command with its samples intact, and `besrig rollback` restores b.
# On a board of its own (ctest gives it no BESRIG_SHARED_BOARD; see
# tests/scenarios/CMakeLists.txt), with the fixture module_builds' builds.
. "$(dirname "$0")/harness.sh"
. "$BESRIG_SRC/tests/scenarios/board_lib.sh"
require_board_tools sqlite3
attach_board
finish() {
  [ "$own_board" = 1 ] && "$BESRIG" --config "$work/rig.json" sim down >/dev/null 2>&1
  cleanup
}
trap finish EXIT

cat > rig.json <<'JSON'
{
  "board": { "kind": "sim", "sim_name": "ohm" },
  "phase7": { "profile": "e2e", "reps": 1 },
  "profiles": { "e2e": { "fresh_chip": "reload", "uptime_window_s": 3600,
    "steps": [ { "name": "rx-4M", "direction": "rx", "rate_mbytes": 4, "streams": 1, "seconds": 40, "omit": 2 } ] } }
}
JSON
boot_own_board
build_patches b c c-prep

# Phase 3: the baseline is clean.
b baseline
echo "$err" | tail -3 >&2
expect_status 0
expect_out "PASS"
[ "$(q "SELECT count(*) FROM samples")" -ge 30 ] || fail "baseline stored too few samples"

# Phase 7 of c: the race must be caught, the evidence kept, the board restored.
b run phase7 --patch c --no-prediction
echo "$out" | tail -4 >&2
[ "$status" -eq 1 ] || fail "phase7 of c: expected exit 1, got $status; $out $err"
grep -Eq "^(FAIL|WEDGED)" <<<"$(echo "$out" | grep -E '^(FAIL|WEDGED|PASS|INFRA)')" || fail "verdict: $out"
run_c=$(q "SELECT max(id) FROM runs WHERE patch = 'c'")
# The race underflows the chip's buffer count or its per-interface one: the
# WARN is in wsm_release_tx_buffer or wsm_release_vif_tx_buffer (one run in
# ~7 saw only the latter first, 3 of them, and FAILed on those).
[ "$(q "SELECT count(*) FROM kernel_events WHERE run_id = $run_c AND (title LIKE 'WARNING in wsm_release_tx_buffer%' OR title LIKE 'WARNING in wsm_release_vif_tx_buffer%') AND module = 'bes2600'")" -ge 1 ] \
  || fail "no WARNING in wsm_release_tx_buffer or wsm_release_vif_tx_buffer [bes2600] stored"
[ -n "$(q "SELECT offset_s FROM kernel_events WHERE run_id = $run_c AND severity = 'fail' AND offset_s IS NOT NULL LIMIT 1")" ] \
  || fail "splats not pinned to an offset from stress start"
[ "$(q "SELECT count(*) FROM artifacts WHERE run_id = $run_c AND status = 'ok'")" -ge 8 ] || fail "forensics incomplete"
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run_c")" = 0 ] || fail "rollback not proven"
b status --json
expect_status 0
srcb=$(q "SELECT srcversion FROM builds WHERE patch = 'b'")
grep -q "$srcb" <<<"$out" || fail "board does not run b after the rollback: $out"

# SIGKILL mid-run: the next command marks the run aborted; samples stay.
"$BESRIG" --config "$work/rig.json" run phase7 --patch c-prep --no-prediction >"$work/kill.out" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  n=$(q "SELECT count(*) FROM samples JOIN steps ON samples.step_id = steps.id JOIN reps ON steps.rep_id = reps.id JOIN runs ON reps.run_id = runs.id WHERE runs.patch = 'c-prep'" 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 5 ] && break
  sleep 1
done
# Only this controller's own iperf3 server (its child, orphaned by the kill):
# other scenarios' servers on this host are not ours to stop.
servers=$(pgrep -P "$pid" -x iperf3 || true)
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
[ -z "$servers" ] || kill $servers 2>/dev/null || true
kept=$(q "SELECT count(*) FROM samples JOIN steps ON samples.step_id = steps.id JOIN reps ON steps.rep_id = reps.id JOIN runs ON reps.run_id = runs.id WHERE runs.patch = 'c-prep'")
[ "$kept" -ge 5 ] || fail "samples before the kill: $kept"
b history
expect_err "marked aborted"
[ "$(q "SELECT status FROM runs WHERE patch = 'c-prep' ORDER BY id DESC LIMIT 1")" = aborted ] || fail "run not aborted"
[ "$(q "PRAGMA integrity_check")" = ok ] || fail "store integrity"
b rollback
expect_status 0
expect_err "rollback proven"

# Leave the shared board as the next scenario expects it: b running (proven
# by the rollback above), and no iperf3 client of the killed run on it (it
# ends when its server is gone or its time is up; killed after 90 s).
for _ in $(seq 1 90); do
  on_board 'pgrep -x iperf3' >/dev/null || break
  sleep 1
done
on_board 'pkill -x iperf3; true'
