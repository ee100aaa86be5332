# Fault 7 (label faults, e2e): the controller is SIGKILLed mid-stress (no
# handler runs). The next command marks the run aborted, every sample stored
# before the kill is intact, the rollback is offered (rollback_pending, and
# the next command says so), `besrig rollback` restores b and clears it; the
# run's iperf3 server dies with the controller.
. "$(dirname "$0")/harness.sh"
. "$BESRIG_SRC/tests/scenarios/sim_lib.sh"

sim_boot 40
start_run
kill -9 "$run_pid"
wait "$run_pid" 2>/dev/null || true
run_pid=
sleep 1
expect_nothing_left
[ "$(q "SELECT status FROM runs WHERE id = $run_id")" = running ] || fail "run already closed without its controller?"
b history
expect_status 0
expect_err "run $run_id was left open by a controller that is gone; marked aborted"
expect_err "run $run_id (c-prep)"
expect_err "besrig rollback"
expect_data_kept
[ "$(q "SELECT status || ' ' || verdict FROM runs WHERE id = $run_id")" = "aborted ABORTED" ] || fail "stored: $(q "SELECT status, verdict FROM runs WHERE id = $run_id")"
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run_id")" = 1 ] || fail "rollback not offered (rollback_pending not set)"
b rollback
expect_status 0
expect_err "rollback proven"
[ "$(q "SELECT count(*) FROM runs WHERE rollback_pending = 1")" = 0 ] || fail "rollback_pending not cleared by besrig rollback"
expect_running_b
expect_nothing_left
