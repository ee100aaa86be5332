# Fault 2 (label faults, e2e): the management link is cut mid-stress and never
# comes back. The watchdog decides HOST_DOWN (exit 1), the board is power-
# cycled through its switch, it cannot be reached after boot, so the rollback
# is recorded as pending; once the link is restored, `besrig rollback`
# restores b. Samples before the cut are kept; nothing is left running.
. "$(dirname "$0")/harness.sh"
. "$BESRIG_SRC/tests/scenarios/sim_lib.sh"

sim_shared 40 '"timeouts": { "boot_s": 60 },'
start_run
b sim link mgmt down
expect_status 0
wait_run 480
expect_verdict HOST_DOWN 1
[ "$(q "SELECT count(*) FROM run_log WHERE run_id = $run_id AND step = 'power'")" -ge 1 ] || fail "no power cycle logged"
expect_data_kept
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run_id")" = 1 ] || fail "an unreachable board's rollback not recorded as pending"
expect_nothing_left
b sim link mgmt up
expect_status 0
b rollback
expect_status 0
expect_err "rollback proven"
[ "$(q "SELECT count(*) FROM runs WHERE rollback_pending = 1")" = 0 ] || fail "rollback_pending not cleared"
expect_running_b
expect_nothing_left
