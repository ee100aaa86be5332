# `besrig bench --skip-board --only triage,history` (label bench, no board):
# the command runs the two local figures side by side and writes JSON with
# both figures measured, a goal and a holds flag each. It checks that the
# figures are there, never how fast they are (BRIEF §9: no timed tests).
. "$(dirname "$0")/harness.sh"

corpus="$BESRIG_SRC/../shared/corpora/kernel-logs/logspec/linux_boot_005.log"
[ -r "$corpus" ] || skip "no logspec corpus at $corpus"
[ -x "$(dirname "$BESRIG")/bench/history_bench" ] || skip "history_bench not built next to besrig"

run_besrig bench --skip-board --only triage,history --triage-mb 5 --json "$work/bench.json"
expect_status 0
expect_out "(g) triage time / grep -E time"
expect_out "(j) slowest of history / nightly on 10k runs"
python3 - "$work/bench.json" <<'PY' || fail "bench JSON: $(cat "$work/bench.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["schema"] == "besrig.bench/1", j["schema"]
figs = {f["name"]: f for f in j["figures"]}
assert set(figs) == {"triage", "history"}, sorted(figs)
for name, f in figs.items():
    assert isinstance(f["value"], (int, float)) and f["value"] > 0, (name, f)
    assert f["goal"]["op"] in ("<=", "<") and f["goal"]["value"] > 0, (name, f)
    assert isinstance(f["holds"], bool), (name, f)
t = figs["triage"]["detail"]
assert t["grep"]["cpu_s"] > 0 and t["besrig"]["mbytes_per_s"] > 0, t
assert figs["history"]["detail"]["runs"] >= 10000, figs["history"]["detail"]
PY

# A figure that does not exist is a usage error naming it.
run_besrig bench --skip-board --only nosuch
expect_status 2
expect_err "no figure named nosuch"

# --skip-board with a board figure says it was skipped instead of inventing a number.
run_besrig bench --skip-board --only wedge --json "$work/skip.json"
expect_status 0
expect_out "skipped (--skip-board)"
