# Fault 6 (label faults, e2e): the controller's iperf3 server is SIGKILLed
# mid-stress. The rig failed, not the patch: INFRA_ERROR, exit 2; the board,
# which the run changed, is rolled back to b and proven; samples stored
# before the kill are kept; no iperf3 server of this run is left.
. "$(dirname "$0")/harness.sh"
. "$BESRIG_SRC/tests/scenarios/sim_lib.sh"

sim_shared 40
start_run
server=
for p in $(pgrep -x iperf3 || true); do
  readlink "/proc/$p/fd/1" 2>/dev/null | grep -q "^$work/" && server=$p
done
[ -n "$server" ] || fail "no iperf3 server of this run found"
kill -9 "$server"
wait_run 240
expect_verdict INFRA_ERROR 2
grep -q "iperf3 server" "$work/run.out" || fail "the verdict does not name the iperf3 server: $out"
expect_data_kept
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run_id")" = 0 ] || fail "rollback not proven"
[ "$(q "SELECT count(*) FROM artifacts WHERE run_id = $run_id")" = 0 ] || fail "forensics taken for an infrastructure failure"
expect_running_b
expect_nothing_left
