# End-to-end (label e2e): `besrig nightly` on a real QEMU board with the real
# stand-in module, through the real binary, over b (the control), c-prep and
# c-v2 with a tiny profile (1 rx step × 20 s, N=2, no interleave):
#   Phase 5 predictions first (c-prep 0 %±3 %, c-v2 +50..+90 %); no baseline
#   yet, so the nightly runs it first and says so in its log; every patch gets
#   a stored Phase 7 run with a verdict; c-v2 is IMPROVED; c-prep is not
#   REGRESSED/FAIL (at N=2 it is usually INCONCLUSIVE, which is honest);
#   the exit code follows the verdicts; the Markdown and HTML reports exist
#   and name every patch; the log has timestamped lines; a second nightly
#   started meanwhile is refused by the lock (exit 2, naming the first pid).
# c-v2's prediction judgement and observed delta are printed to stderr, not
# asserted: at N=2 the interval is usually too wide to lie inside +50..+90 %,
# and asserting CONFIRMED at N=3 failed 3 runs of 3 on this shared host at
# load 5-10 (INCONCLUSIVE: reps scattered 10-30 %; +104.8 % [+61.8, +159.2],
# +61.6 % [+28.2, +103.7], +38.2 % [+24.6, +53.2]; driver/MEASUREMENTS.md
# run E), so on a shared CI host it would judge the host, not the patch.
# On a board of its own (ctest gives it no BESRIG_SHARED_BOARD; see
# tests/scenarios/CMakeLists.txt), with the fixture module_builds' builds.
. "$(dirname "$0")/harness.sh"
. "$BESRIG_SRC/tests/scenarios/board_lib.sh"
require_board_tools sqlite3
attach_board
finish() {
  if [ -n "${nightly_pid:-}" ]; then kill "$nightly_pid" 2>/dev/null || true; wait "$nightly_pid" 2>/dev/null || true; fi
  [ "$own_board" = 1 ] && "$BESRIG" --config "$work/rig.json" sim down >/dev/null 2>&1
  cleanup
}
trap finish EXIT
started=$(date +%s)

# lmac_timeout_ms: on a host this loaded (4 engineers' builds and boards on
# 2 cores) the TCG guest can stall for more than the stand-in's default 2 s
# without a confirm, and then even b "wedges" (seen here: the baseline
# WEDGED). This scenario is about the nightly, not the wedge detector
# (sim_phase7 covers that), so the simulated chip waits 10 s.
cat > rig.json <<'JSON'
{
  "board": { "kind": "sim", "sim_name": "ohm" },
  "module": { "params": "lmac_timeout_ms=10000" },
  "phase7": { "profile": "nightly-e2e", "reps": 2 },
  "profiles": { "nightly-e2e": { "fresh_chip": "reload", "uptime_window_s": 3600,
    "steps": [ { "name": "rx-4M", "direction": "rx", "rate_mbytes": 4, "streams": 1, "seconds": 20, "omit": 2 } ] } }
}
JSON
cat > nightly.json <<JSON
// The scenario's nightly: comments allowed, paths relative to this file.
{
  "rig_config": "rig.json",
  "profile": "nightly-e2e",
  "reps": 2,
  "interleave": false,
  "baseline": "latest",
  "patches": [
    { "name": "b", "expect": "no-delta", "margin_pct": 3.0 },
    { "name": "c-prep", "expect": "no-delta", "margin_pct": 3.0 },
    { "name": "c-v2" }
  ],
  "report": { "nights": 14, "margin_pct": 3.0,
              "markdown": "reports/nightly-{date}.md", "html": "reports/nightly-{date}.html" },
  "lock_file": "nightly.lock",
  "log_file": "log/nightly.log"
}
JSON
boot_own_board
build_patches b c-prep c-v2
b run phase5 --patch c-prep --predict 'throughput=0%±3%'
expect_status 0
b run phase5 --patch c-v2 --predict 'throughput=+50%..+90%'
expect_status 0
[ "$(q "SELECT count(*) FROM runs WHERE is_baseline = 1")" = 0 ] || fail "a baseline exists before the nightly"

"$BESRIG" nightly --config "$work/nightly.json" >"$work/nightly.out" 2>"$work/nightly.err" &
nightly_pid=$!
for _ in $(seq 1 60); do
  grep -q "nightly start" "$work/log/nightly.log" 2>/dev/null && break
  sleep 1
done
grep -q "nightly start" "$work/log/nightly.log" || fail "the nightly did not start: $(cat "$work/nightly.err")"

# A second nightly while the first runs: refused by the lock, naming the holder.
run_besrig nightly --config "$work/nightly.json"
expect_status 2
expect_err "already running (pid $nightly_pid"

set +e
wait "$nightly_pid"
nightly_status=$?
set -e
nightly_pid=
tail -15 "$work/nightly.out" >&2

# What was measured (MB/s per rep), so a verdict below can be explained.
echo "host load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
print_reps_mbytes

# Every patch has a stored Phase 7 run with a verdict.
declare -A verdict
for p in b c-prep c-v2; do
  verdict[$p]=$(q "SELECT verdict FROM runs WHERE kind = 'phase7' AND patch = '$p' AND status = 'finished' ORDER BY id DESC LIMIT 1")
  [ -n "${verdict[$p]}" ] || fail "no finished Phase 7 run of $p; log: $(cat "$work/log/nightly.log")"
  echo "nightly: $p ${verdict[$p]}" >&2
done
[ "$(q "SELECT count(*) FROM runs WHERE is_baseline = 1 AND verdict = 'PASS'")" = 1 ] || fail "the nightly did not run the baseline"
grep -q "running the baseline first" "$work/log/nightly.log" || fail "the log does not say the baseline ran first"

# The verdicts this test can rely on.
case "${verdict[c-prep]}" in REGRESSED|FAIL|WEDGED|HOST_DOWN|INFRA_ERROR) fail "c-prep: ${verdict[c-prep]}" ;; esac
case "${verdict[b]}" in FAIL|WEDGED|HOST_DOWN|INFRA_ERROR) fail "b (the control): ${verdict[b]}" ;; esac

# The exit code follows the verdicts (no history yet: the trend cannot move).
want=0
for p in b c-prep c-v2; do
  case "${verdict[$p]}" in FAIL|WEDGED|HOST_DOWN|REGRESSED) want=1 ;; esac
done
[ "$nightly_status" -eq "$want" ] || fail "nightly exit $nightly_status, expected $want; $(tail -5 "$work/nightly.out")"

# The reports exist and name every patch; the log has timestamped lines.
md=$(ls "$work"/reports/nightly-*.md)
html=$(ls "$work"/reports/nightly-*.html)
for p in b c-prep c-v2; do
  grep -q -- "$p" "$md" || fail "$md does not name $p"
  grep -q -- "$p" "$html" || fail "$html does not name $p"
done
grep -q "report: $md" "$work/log/nightly.log" || fail "the log does not name the Markdown report"
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} nightly done: exit ' "$work/log/nightly.log" || fail "no timestamped end line"
grep -q "refused: another besrig nightly is already running" "$work/log/nightly.log" || fail "the refusal is not logged"

# c-v2 against its Phase 5 prediction (printed, not asserted: see the header).
run_v2=$(q "SELECT max(id) FROM runs WHERE kind = 'phase7' AND patch = 'c-v2'")
echo "c-v2 prediction: $(prediction_line "$run_v2")" >&2
echo "c-prep prediction: $(prediction_line "$(q "SELECT max(id) FROM runs WHERE kind = 'phase7' AND patch = 'c-prep'")")" >&2
echo "scenario runtime: $(( $(date +%s) - started )) s" >&2
# Last, so that everything above is checked even when this fails: c-v2 is
# IMPROVED on an idle host (c-v2/b ≈ 1.69, driver/MEASUREMENTS.md); on a host
# at load 20–40 the per-rep MB/s printed above scatter by 4× and it is not.
[ "${verdict[c-v2]}" = IMPROVED ] || fail "c-v2: expected IMPROVED, got ${verdict[c-v2]} (see the MB/s per rep and host load above)"
