# End-to-end (labels e2e, predictions) on the shared simulated board, issue 9's
# done-when for c-v2: a Phase 3 baseline of b and a Phase 7 of c-v2, both
# N=3 × one receive step at 4 MB/s for 30 s (the story's direction), with
# c-v2's +50..+90 % prediction recorded in Phase 5 first:
#   - c-v2 is IMPROVED (asserted whatever the host does);
#   - once Phase 7 started, changing the prediction is refused (exit 2) and
#     the stored one is unchanged;
#   - the prediction is not REFUTED: the observed 90 % interval overlaps
#     +50..+90 %. CONFIRMED (the whole interval inside) is printed, not
#     asserted: on a quiet host (2026-11-26, others 0 %) it came out
#     CONFIRMED +66.2 % [+50.8, +83.2], +63.4 % [+54.5, +72.7] and
#     +62.0 % [+54.8, +69.4], and
#     INCONCLUSIVE +59.7 % [+48.4, +71.9]: c-v2's reps agree within 1-2 %,
#     but in every baseline one rep of b in three ran 4-9 % faster
#     (unexplained), and with N=3 Welch's interval is then about ±10-12 %
#     around a centre the model puts at +60-72 %, so the lower end sits near
#     +50 %. Asserting it would fail about one run in four on any host
#     (docs/statistics.md, "On the simulated board").
# The judgement needs a board that had the host to itself: the guest's own CPU
# time sets its pace under TCG, so a busy host scatters the reps by 10-30 %
# (session 4: INCONCLUSIVE 3 of 3 at load 5-10). The scenario measures what
# other processes took of the host's CPU while it ran (host_cpu_others_pct,
# board_lib.sh); above 15 % the judgement check is SKIPPED, loudly (ctest
# shows the test as skipped), never passed.
. "$(dirname "$0")/harness.sh"
IPERF_PORT=5317
. "$BESRIG_SRC/tests/scenarios/fault_deploy_lib.sh"

python3 - "$work/rig.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["phase7"] = {"profile": "story-rx", "reps": 3}
c["profiles"] = {"story-rx": {"fresh_chip": "reload", "uptime_window_s": 36000,
    "steps": [{"name": "rx-4M", "direction": "rx", "rate_mbytes": 4, "streams": 1, "seconds": 30, "omit": 2}]}}
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY

deploy_preamble b c-v2
scenario_cleanup() { "$BESRIG" --config "$work/rig.json" rollback >/dev/null 2>&1 || true; }
others_limit=15

host_cpu_mark
b baseline
expect_status 0
b run phase5 --patch c-v2 --predict 'throughput=+50%..+90%'
expect_status 0
b run phase7 --patch c-v2
phase7_status=$status
phase7_out=$out
others=$(host_cpu_others_pct)
echo "$phase7_out" | tail -12 >&2

run_v2=$(q "SELECT max(id) FROM runs WHERE kind = 'phase7' AND patch = 'c-v2'")
verdict=$(q "SELECT verdict FROM runs WHERE id = $run_v2")
judged=$(prediction_line "$run_v2")
judgement=$(q "SELECT judgement FROM verdict_metrics WHERE run_id = $run_v2 AND metric = 'throughput'")
print_reps_mbytes
echo "c-v2: $verdict; prediction: $judged; other processes used ${others} % of the host's CPU (limit $others_limit %)" >&2

[ "$verdict" = IMPROVED ] || fail "c-v2: expected IMPROVED, got '$verdict' (phase7 exit $phase7_status)"
[ "$phase7_status" = 0 ] || fail "phase7 of an IMPROVED patch exited $phase7_status"

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

[ "$others" -le "$others_limit" ] || skip "c-v2 IMPROVED and its prediction frozen (asserted), but the judgement NOT CHECKED: other processes took ${others} % of the host's CPU while the board was measured (limit $others_limit %); it was: $judged"
case "$judgement" in
  CONFIRMED|INCONCLUSIVE) ;;
  *) fail "c-v2's prediction: $judged (the host was quiet: others ${others} %)" ;;
esac
