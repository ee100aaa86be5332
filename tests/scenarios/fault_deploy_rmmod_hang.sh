# rmmod hangs (issue 7; labels e2e, faults): the stand-in module's exit is
# made to sleep (its exit_stall_ms fault lever), so `rmmod` blocks in the
# kernel. Deploy --load hits timeouts.load_s, escalates per
# module.unload_hang — first "reboot" (over the link), then "power_cycle"
# (the board's QMP switch) — waits for the board, and proves that the module
# it loaded at boot (the newly installed one) is this build. The escalation
# is in the run's log in the store. ("fail" is covered by unit tests.)
. "$(dirname "$0")/harness.sh"
IPERF_PORT=5316
. "$BESRIG_SRC/tests/scenarios/fault_deploy_lib.sh"

deploy_preamble b c-prep
src_cp=$(srcversion_of c-prep)

stall() { on_board 'echo 600000 > /sys/module/bes2600/parameters/exit_stall_ms' || fail "cannot arm exit_stall_ms"; }
escalated() {  # $1 = action
  local run
  run=$(q "SELECT max(id) FROM runs WHERE kind = 'deploy'")
  [ "$(q "SELECT count(*) FROM run_log WHERE run_id = $run AND step = 'unload' AND level = 'error' AND message LIKE '%hung%'")" -ge 1 ] \
    || fail "$1: the hung rmmod is not in the run's log"
  [ "$(q "SELECT count(*) FROM run_log WHERE run_id = $run AND step = 'escalate' AND message LIKE '%$1 done%'")" -ge 1 ] \
    || fail "$1: the escalation is not in the run's log: $(q "SELECT step, message FROM run_log WHERE run_id = $run")"
}

stall
b --set timeouts.load_s=10 --set module.unload_hang=reboot deploy --patch c-prep --load
expect_status 0
expect_err "hung"
expect_out "srcversion $src_cp = this build"
escalated reboot
[ "$(running_srcversion)" = "$src_cp" ] || fail "c-prep is not running after the reboot"

stall
b --set timeouts.load_s=10 --set module.unload_hang=power_cycle deploy --patch b --load
expect_status 0
expect_out "srcversion $src_b = this build"
escalated power_cycle
[ "$(running_srcversion)" = "$src_b" ] || fail "b is not running after the power cycle"
end_checks
