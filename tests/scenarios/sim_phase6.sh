# End-to-end Phase 6 on the simulated board (ctest label e2e, issue 7):
#   deploy --patch from the bundle, load and prove for two builds (b, c-prep),
#   installed-but-not-running shown as DIFFER;
#   `run phase6 --patch b` PASS with b proven running;
#   a patch whose module does not load (a one-line regression: the default
#   lower NIC renamed) FAILs, rolls back and proves b runs;
#   SIGINT during phase6 rolls back; two SIGINTs skip the rollback with a
#   warning and record it pending, and `besrig rollback` then restores b;
#   a hostile patch name (`x'; touch /tmp/pwned #`) is refused, nothing runs.
. "$(dirname "$0")/harness.sh"
IPERF_PORT=5301
. "$BESRIG_SRC/tests/scenarios/fault_deploy_lib.sh"

# A patch series directory of our own: the shipped series plus "broken".
cp -r "$BESRIG_SRC/driver/patches" "$work/patches"
mkdir -p "$work/pa/a" "$work/pa/b" "$work/patches/broken"
cp "$BESRIG_SRC/driver/sim/main.c" "$work/pa/a/main.c"
sed 's/^static char \*lower = "wphy0";/static char *lower = "wphy9";/' "$work/pa/a/main.c" > "$work/pa/b/main.c"
! cmp -s "$work/pa/a/main.c" "$work/pa/b/main.c" || fail "could not make the broken patch (main.c changed?)"
(cd "$work/pa" && diff -u a/main.c b/main.c > "$work/patches/broken/0001-bes2600-rename-the-default-lower-NIC.patch") || true
python3 - "$work/rig.json" "$work/patches" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["driver"] = {"patches_dir": sys.argv[2]}
json.dump(c, open(sys.argv[1], "w"), indent=2)
PY

build_patches b c-prep
src_b=$(srcversion_of b); src_cp=$(srcversion_of c-prep)
[ -n "$src_b" ] && [ -n "$src_cp" ] && [ "$src_b" != "$src_cp" ] || fail "b and c-prep srcversions: '$src_b' '$src_cp'"

# Deploy from the bundle: two builds, each proven running.
b deploy --patch c-prep --load
expect_status 0
expect_out "srcversion $src_cp = this build"
b deploy --patch b --load
expect_status 0
expect_out "srcversion $src_b = this build"
expect_out "previous  kept at"
[ "$(q "SELECT count(*) FROM run_log JOIN runs ON runs.id = run_log.run_id WHERE runs.kind = 'deploy' AND step IN ('upload','verify','install','unload','load','prove')")" -ge 12 ] \
  || fail "deploy steps not logged with timings"
# Installed c-prep, running b: different facts, both shown.
b deploy --patch c-prep
expect_status 0
b status --json
python3 - "$work/out" "$src_cp" "$src_b" <<'PY' || fail "status after install-without-load: $out"
import json, sys
m = json.load(open(sys.argv[1]))["module"]
assert m["installed"]["srcversion"] == sys.argv[2], m
assert m["running"]["srcversion"] == sys.argv[3], m
assert m["identity"] == "DIFFER", m
PY
# Nothing is deployed that is not in the bundle.
b deploy --patch c-v2
expect_status 2
expect_err "no build of patch 'c-v2' in the bundle"

# Phase 6 of b: PASS, b running.
b run phase6 --patch b
echo "$out" | tail -2 >&2
expect_status 0
expect_out "PASS"
[ "$(running_srcversion)" = "$src_b" ] || fail "b is not running after its phase6 PASS"
for s in build preflight load link smoke-rx smoke-tx log; do
  [ "$(q "SELECT count(*) FROM run_log WHERE run_id = (SELECT max(id) FROM runs WHERE kind = 'phase6') AND step = '$s'")" -ge 1 ] \
    || fail "phase6 step $s not recorded"
done

# A build whose module does not load: FAIL, rolled back, b proven.
b run phase6 --patch broken
echo "$out" | tail -2 >&2
expect_status 1
expect_out "FAIL"
expect_err "rollback proven"
run_broken=$(q "SELECT max(id) FROM runs WHERE kind = 'phase6' AND patch = 'broken'")
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run_broken")" = 0 ] || fail "rollback not proven for the broken build"
[ "$(q "SELECT verdict FROM runs WHERE id = $run_broken")" = FAIL ] || fail "verdict of the broken build"
[ "$(running_srcversion)" = "$src_b" ] || fail "b is not running after the rollback"

# SIGINT during phase6 of c-prep, after the load: rolled back, b proven.
interrupt_phase6() {  # $1 = number of SIGINTs
  local last pid i
  last=$(q "SELECT coalesce(max(id), 0) FROM runs")
  "$BESRIG" --config "$work/rig.json" run phase6 --patch c-prep >"$work/int.out" 2>"$work/int.err" &
  pid=$!
  for i in $(seq 1 300); do
    [ "$(q "SELECT count(*) FROM run_log WHERE run_id > $last AND step = 'load' AND level = 'info'" 2>/dev/null)" -ge 1 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -0 "$pid" 2>/dev/null || fail "phase6 of c-prep ended before the interrupt: $(cat "$work/int.err")"
  for i in $(seq 1 "$1"); do kill -INT "$pid"; sleep 0.2; done
  set +e; wait "$pid"; int_status=$?; set -e
}
interrupt_phase6 1
[ "$int_status" -ne 0 ] || fail "interrupted phase6 exited 0"
grep -q "rollback proven" "$work/int.err" || fail "no rollback after SIGINT: $(tail -5 "$work/int.err")"
run_int=$(q "SELECT max(id) FROM runs WHERE kind = 'phase6'")
[ "$(q "SELECT status FROM runs WHERE id = $run_int")" = aborted ] || fail "interrupted run not marked aborted"
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run_int")" = 0 ] || fail "rollback after SIGINT not proven"
[ "$(running_srcversion)" = "$src_b" ] || fail "b is not running after the interrupted phase6"

# Two SIGINTs: the rollback is skipped, loudly, and recorded as pending.
interrupt_phase6 2
[ "$int_status" -ne 0 ] || fail "twice-interrupted phase6 exited 0"
grep -Eq "rollback skipped|rollback aborted" "$work/int.err" || fail "no warning that the rollback was skipped: $(tail -5 "$work/int.err")"
run_int2=$(q "SELECT max(id) FROM runs WHERE kind = 'phase6'")
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run_int2")" = 1 ] || fail "skipped rollback not recorded as pending"
b rollback
expect_status 0
expect_err "rollback proven"
[ "$(q "SELECT count(*) FROM runs WHERE rollback_pending = 1")" = 0 ] || fail "rollback pending after besrig rollback"
[ "$(running_srcversion)" = "$src_b" ] || fail "b is not running after besrig rollback"

# A hostile patch name: refused before anything runs, here or on the board.
rm -f /tmp/besrig-phase6-pwned
on_board rm -f /tmp/besrig-phase6-pwned
for cmd in "run phase6" "deploy" "build"; do
  # shellcheck disable=SC2086
  b $cmd --patch "x'; touch /tmp/besrig-phase6-pwned #"
  expect_status 2
  expect_err "patch name"
done
[ ! -e /tmp/besrig-phase6-pwned ] || fail "a hostile patch name ran a command on the controller"
on_board test ! -e /tmp/besrig-phase6-pwned || fail "a hostile patch name ran a command on the board"

end_checks
