# Fault 3 (label faults, e2e): the board's kernel panics mid-stress (sysrq-c;
# the simulated board then hangs, panic=0). After timeouts.host_down_s of
# silence the watchdog decides HOST_DOWN (exit 1), the board is power-cycled, boots (loading the installed c-prep),
# forensics are taken after the boot, the rollback to b is proven. Samples
# before the panic are kept; nothing is left running.
. "$(dirname "$0")/harness.sh"
. "$BESRIG_SRC/tests/scenarios/sim_lib.sh"

sim_shared 40
start_run
on_board 'echo c > /proc/sysrq-trigger' >/dev/null 2>&1 &
panic_ssh=$!
wait_run 480
wait "$panic_ssh" 2>/dev/null || true  # ServerAlive ends it once the board is gone
expect_verdict HOST_DOWN 1
[ "$(q "SELECT count(*) FROM run_log WHERE run_id = $run_id AND step = 'power'")" -ge 1 ] || fail "no power cycle logged"
grep -q "Kernel panic" "$state/console.log" || fail "the board did not panic (console: $(tail -5 "$state/console.log"))"
expect_data_kept
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run_id")" = 0 ] || fail "rollback not proven after the power cycle"
expect_running_b
expect_nothing_left
