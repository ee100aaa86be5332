# Phase 7 interrupted (label faults, e2e): SIGINT mid-stress, as a person's
# Ctrl-C. The run is stored as aborted (verdict ABORTED, exit 2: no verdict on
# the patch), the board is rolled back to b and it is proven, every sample
# stored before the interrupt is kept, nothing is left running.
. "$(dirname "$0")/harness.sh"
. "$BESRIG_SRC/tests/scenarios/sim_lib.sh"

sim_boot 40
start_run
kill -INT "$run_pid"
wait_run 180
expect_verdict ABORTED 2
[ "$(q "SELECT status FROM runs WHERE id = $run_id")" = aborted ] || fail "run not stored as aborted"
expect_data_kept
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run_id")" = 0 ] || fail "rollback not proven"
grep -q "rollback proven" "$work/run.err" || fail "no rollback proof printed: $(tail -5 "$work/run.err")"
expect_running_b
expect_nothing_left
