# Fault 1 (label faults, e2e): the management link is cut mid-stress and
# restored 20 s later. The data path never broke and 20 s is shorter than
# timeouts.host_down_s (45 s): no patch failure and no power cycle. The
# iperf3 stream outlives the outage, the watchdog logs it as ridden out, the
# run finishes (PASS, exit 0) with the samples of the outage delivered late,
# the board is not reset, c-prep stays on it as after any clean run, and
# nothing is left running.
. "$(dirname "$0")/harness.sh"
. "$BESRIG_SRC/tests/scenarios/sim_lib.sh"

sim_shared 40
start_run
boot_before=$(on_board cat /proc/sys/kernel/random/boot_id)
b sim link mgmt down
expect_status 0
sleep 20
b sim link mgmt up
expect_status 0
wait_run 300
expect_verdict PASS 0
[ "$(q "SELECT count(*) FROM run_log WHERE run_id = $run_id AND step = 'watchdog' AND message LIKE '%ridden out%'")" -ge 1 ] \
  || fail "the outage was not noticed and logged: $(q "SELECT step, message FROM run_log WHERE run_id = $run_id")"
[ "$(q "SELECT count(*) FROM run_log WHERE run_id = $run_id AND step = 'power'")" = 0 ] || fail "board power-cycled for a link flap"
expect_data_kept
[ "$(samples_of "$run_id")" -ge 35 ] || fail "samples of the outage lost: $(samples_of "$run_id") stored"
[ "$(on_board cat /proc/sys/kernel/random/boot_id)" = "$boot_before" ] || fail "the board was rebooted"
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run_id")" = 0 ] || fail "rollback_pending left on a clean run"
b status --json
expect_status 0
[ "$(jq -r '.module.running.srcversion' "$work/out")" = "$srcp" ] || fail "board does not run c-prep after a clean run: $out"
expect_nothing_left
