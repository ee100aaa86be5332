# Fault 5 (label faults, e2e): every sshd on the board is killed mid-stress
# (the listener and the sessions carrying iperf3 and the log follower). The
# management link is then dead to the rig: HOST_DOWN (exit 1), power cycle
# (a fresh boot brings sshd back), rollback to b proven. Samples before the
# fault are kept; nothing is left running.
. "$(dirname "$0")/harness.sh"
. "$BESRIG_SRC/tests/scenarios/sim_lib.sh"

sim_shared 40
start_run
on_board 'kill -9 $(pidof sshd)' >/dev/null 2>&1 || true
wait_run 420
expect_verdict HOST_DOWN 1
[ "$(q "SELECT count(*) FROM run_log WHERE run_id = $run_id AND step = 'power'")" -ge 1 ] || fail "no power cycle logged"
expect_data_kept
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run_id")" = 0 ] || fail "rollback not proven"
expect_running_b
expect_nothing_left
