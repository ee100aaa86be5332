# End-to-end (labels e2e, predictions) on the shared simulated board, issue 9's
# done-when: a Phase 3 baseline of b, then Phase 7 of c-v2 and of c-prep, each
# N=3 × one receive step at 4 MB/s for 20 s (the story's direction), with the
# predictions recorded in Phase 5 first (c-v2 +50..+90 %, c-prep 0 % ± 3 %):
#   - c-v2 is IMPROVED (asserted whatever the host does);
#   - once Phase 7 started, changing c-v2's prediction is refused (exit 2) and
#     the stored one is unchanged;
#   - c-prep is not REGRESSED or IMPROVED, and an INCONCLUSIVE names the reps
#     that would likely decide it;
#   - on a quiet host: c-v2's prediction is CONFIRMED (the whole 90 % interval
#     inside +50..+90 %) and c-prep is EQUIVALENT (its prediction CONFIRMED).
# Until 2026-11-26 the judgement was only "not REFUTED": with TCP's delayed
# ACKs each rep settled into one of a few ACK modes and b's reps scattered by
# 4-9 %, so c-v2 came out CONFIRMED 3 times in 4. The board now acknowledges
# every segment (sim/wlan-watch.sh, sim/README.md): reps agree within ~0.5 %
# and c-v2/b is the model's ≈1.69 (docs/statistics.md, "On the simulated board").
# The judgement needs a board that had the host to itself: the guest's own CPU
# time sets its pace under TCG, so a busy host scatters the reps by 10-30 %
# (session 4: INCONCLUSIVE 3 of 3 at load 5-10). The scenario measures what
# other processes took of the host's CPU while it ran (host_cpu_others_pct,
# board_lib.sh); above 15 % the judgement checks are SKIPPED, loudly (ctest
# shows the test as skipped), never passed.
. "$(dirname "$0")/harness.sh"
IPERF_PORT=5317
. "$BESRIG_SRC/tests/scenarios/fault_deploy_lib.sh"

python3 - "$work/rig.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["phase7"] = {"profile": "story-rx", "reps": 3}
c["profiles"] = {"story-rx": {"fresh_chip": "reload", "uptime_window_s": 36000,
    "steps": [{"name": "rx-4M", "direction": "rx", "rate_mbytes": 4, "streams": 1, "seconds": 20, "omit": 2}]}}
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY

deploy_preamble b c-prep c-v2
scenario_cleanup() { "$BESRIG" --config "$work/rig.json" rollback >/dev/null 2>&1 || true; }
others_limit=15

host_cpu_mark
b baseline
expect_status 0
b run phase5 --patch c-v2 --predict 'throughput=+50%..+90%'
expect_status 0
b run phase5 --patch c-prep --predict 'throughput=0%±3%'
expect_status 0
b run phase7 --patch c-v2
phase7_status=$status
phase7_out=$out
b run phase7 --patch c-prep
prep_status=$status
prep_out=$out
others=$(host_cpu_others_pct)
echo "$phase7_out" | tail -12 >&2
echo "$prep_out" | tail -8 >&2

run_v2=$(q "SELECT max(id) FROM runs WHERE kind = 'phase7' AND patch = 'c-v2'")
verdict=$(q "SELECT verdict FROM runs WHERE id = $run_v2")
judged=$(prediction_line "$run_v2")
judgement=$(q "SELECT judgement FROM verdict_metrics WHERE run_id = $run_v2 AND metric = 'throughput'")
run_prep=$(q "SELECT max(id) FROM runs WHERE kind = 'phase7' AND patch = 'c-prep'")
prep_verdict=$(q "SELECT verdict FROM runs WHERE id = $run_prep")
prep_judged=$(prediction_line "$run_prep")
print_reps_mbytes
echo "c-v2: $verdict; prediction: $judged" >&2
echo "c-prep: $prep_verdict; prediction: $prep_judged" >&2
echo "other processes used ${others} % of the host's CPU (limit $others_limit %)" >&2

[ "$verdict" = IMPROVED ] || fail "c-v2: expected IMPROVED, got '$verdict' (phase7 exit $phase7_status)"
[ "$phase7_status" = 0 ] || fail "phase7 of an IMPROVED patch exited $phase7_status"
case "$prep_verdict" in
  EQUIVALENT) [ "$prep_status" = 0 ] || fail "phase7 of an EQUIVALENT c-prep exited $prep_status" ;;
  INCONCLUSIVE) echo "$prep_out" | grep -Eq "[0-9]+ reps" || fail "c-prep INCONCLUSIVE without the reps needed: $prep_out" ;;
  *) fail "c-prep (a no-op refactor): expected EQUIVALENT or INCONCLUSIVE, got '$prep_verdict' (exit $prep_status)" ;;
esac

# The prediction is frozen now.
b run phase5 --patch c-v2 --predict 'throughput=+60%..+80%'
expect_status 2
expect_err "frozen"
[ "$(q "SELECT count(*) FROM predictions WHERE patch = 'c-v2' AND superseded = 0")" = 1 ] || fail "more than one live prediction of c-v2"
q "SELECT spec FROM predictions WHERE patch = 'c-v2' AND superseded = 0" | grep -q '+50%..+90%' \
  || fail "the frozen prediction changed: $(q "SELECT spec FROM predictions WHERE patch = 'c-v2'")"

b rollback
expect_status 0
b_intact "after the scenario"
end_checks

[ "$others" -le "$others_limit" ] || skip "c-v2 IMPROVED, c-prep $prep_verdict and c-v2's prediction frozen (asserted), but the judgements NOT CHECKED: other processes took ${others} % of the host's CPU while the board was measured (limit $others_limit %); they were: c-v2 $judged; c-prep $prep_judged"
[ "$judgement" = CONFIRMED ] || fail "c-v2's prediction: $judged (the host was quiet: others ${others} %)"
[ "$prep_verdict" = EQUIVALENT ] || fail "c-prep: $prep_verdict, prediction $prep_judged (the host was quiet: others ${others} %)"
