# Fault 4 (label faults, e2e): the whole board freezes mid-stress (QMP stop)
# and is thawed 30 s later. Nothing answers while it is frozen; the watchdog
# must not hang on the dead sessions and must decide. 30 s is shorter than
# timeouts.host_down_s (45 s): the decision is "the board answered again",
# logged as ridden out; the frozen board's guest lost no time (its clock
# stopped too), so the run finishes: PASS, exit 0, no power cycle, the samples
# after the thaw stored as well, c-prep still running, nothing left behind.
# (A board that does not come back is HOST_DOWN: fault_kernel_panic.sh.)
. "$(dirname "$0")/harness.sh"
. "$BESRIG_SRC/tests/scenarios/sim_lib.sh"

sim_shared 40
start_run
boot_before=$(on_board cat /proc/sys/kernel/random/boot_id)
b sim freeze
expect_status 0
sleep 30
b sim thaw
expect_status 0
wait_run 300
expect_verdict PASS 0
[ "$(q "SELECT count(*) FROM run_log WHERE run_id = $run_id AND step = 'watchdog' AND message LIKE '%ridden out%'")" -ge 1 ] \
  || fail "no watchdog decision logged: $(q "SELECT step, message FROM run_log WHERE run_id = $run_id")"
[ "$(q "SELECT count(*) FROM run_log WHERE run_id = $run_id AND step = 'power'")" = 0 ] || fail "board power-cycled"
expect_data_kept
[ "$(samples_of "$run_id")" -ge 35 ] || fail "samples after the thaw missing: $(samples_of "$run_id") stored"
[ "$(on_board cat /proc/sys/kernel/random/boot_id)" = "$boot_before" ] || fail "the board was rebooted"
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run_id")" = 0 ] || fail "rollback_pending left on a clean run"
b status --json
expect_status 0
[ "$(jq -r '.module.running.srcversion' "$work/out")" = "$srcp" ] || fail "board does not run c-prep after a clean run: $out"
expect_nothing_left
