# Helpers of every scenario that drives a simulated board (sourced after
# harness.sh, through sim_lib.sh or fault_deploy_lib.sh, or directly). One
# copy of what those two libraries had each written out:
#   require_board_tools [TOOL...]  skip loudly unless QEMU runs here and
#                      kernel headers are installed, and each TOOL is there
#   attach_board       the board: the ctest fixture fault_deploy_board's
#                      (BESRIG_SHARED_BOARD, see fault_deploy_board.sh) or,
#                      without it (run by hand), one of this scenario's own
#                      in $work/sim; sets BESRIG_SIM_DIR, state, own_board
#   boot_own_board     `besrig sim up` when attach_board found no shared board
#   fail MESSAGE       harness.sh's fail, plus the console tail and `besrig sim
#                      cpus` when the board's kernel reported a lockup
#   b ARGS...          besrig with this scenario's config ($work/rig.json)
#   q SQL              one query on this scenario's store; waits up to 5 s
#                      for a writer's lock (the run in the background writes)
#   on_board CMD...    the test's own lever: plain OpenSSH to the board as
#                      root with the board's key; known_hosts is
#                      $board_known_hosts (default the board's own)
#   board_port         the board's SSH port
#   seed_build P       the ctest fixture module_builds' build of P
#                      (BESRIG_SHARED_BUILDS, see module_builds.sh) into this
#                      scenario's store, so that `besrig build --patch P`
#                      finds identical inputs and reuses it instead of
#                      compiling; nothing without the fixture. Only what the
#                      scenario builds is seeded: its bundle holds no other.
#   build_patches P..  seed_build and `besrig build` for each patch, each must
#                      succeed
#   srcversion_of P    the bundle's srcversion of patch P
#   shared_build_file P  the .ko of the fixture's build of P (empty without it)
#   print_reps_mbytes  each stored baseline and Phase 7 run's mean MB/s per
#                      rep, on stderr, so that a verdict can be explained
#   prediction_line RUN  RUN's throughput prediction: "predicted | observed
#                      +x % [lo, hi] | JUDGEMENT" (empty when none)
#   host_cpu_mark / host_cpu_others_pct  the share of this host's CPU (all
#                      cores, in %) that processes other than the board's QEMU
#                      used between the mark and now: whether the board had
#                      the host to itself while it was measured
db="$HOME/.local/share/besrig/besrig.db"

require_board_tools() {
  command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
  qemu-system-x86_64 -accel tcg -machine help >/dev/null 2>&1 || skip "qemu-system-x86_64 cannot run here"
  ls /lib/modules/*/build/Makefile >/dev/null 2>&1 || skip "no kernel headers (apt-get install linux-headers-amd64)"
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || skip "$t not installed (apt-get install $t)"
  done
}

own_board=0
attach_board() {
  if [ -n "${BESRIG_SHARED_BOARD:-}" ]; then
    export BESRIG_SIM_DIR="$BESRIG_SHARED_BOARD"
    [ -f "$BESRIG_SIM_DIR/ohm/known_hosts" ] || skip "the fixture booted no board in $BESRIG_SIM_DIR (see scenario.fault_deploy_board_up)"
  else
    export BESRIG_SIM_DIR="$work/sim"
    own_board=1
  fi
  state="$BESRIG_SIM_DIR/ohm"
}
boot_own_board() {
  [ "$own_board" = 1 ] || return 0
  b sim up --boot-timeout 300
  expect_status 0
}

# A failing scenario on a board whose kernel reported a lockup or stall also
# prints the console's tail and where each vCPU is (`besrig sim cpus`): the
# CI log is all that is left of the board afterwards.
board_lockup_report() {
  [ -n "${state:-}" ] && [ -f "$state/console.log" ] || return 0
  grep -qE "soft lockup|self-detected stall|rcu_preempt detected stalls|blocked for more than" "$state/console.log" || return 0
  echo "--- the board's kernel reported a lockup: last console lines of $state/console.log ---" >&2
  tail -n 40 "$state/console.log" >&2
  echo "--- besrig sim cpus ---" >&2
  "$BESRIG" sim cpus --name "$(basename "$state")" >&2 2>&1 || true
}
fail() { echo "FAIL [$scenario]: $*" >&2; board_lockup_report; exit 1; }

b() { run_besrig --config "$work/rig.json" "$@"; }
q() { sqlite3 -cmd ".timeout 5000" "$db" "$1"; }

board_port() {
  local p
  p=$(sed -n 's/.*"ssh_port": *\([0-9]*\).*/\1/p' "$state/board.json" 2>/dev/null)
  [ -n "$p" ] || p=$(sed -n 's/^\[127\.0\.0\.1\]:\([0-9]*\) .*/\1/p' "$state/known_hosts" | head -1)
  echo "$p"
}
# on_board_opts: extra ssh options, set by the library that sources this one.
on_board_opts=(-o ConnectTimeout=30)
on_board() {
  ssh -F /dev/null -i "$state/id_ed25519" -o IdentitiesOnly=yes -o UserKnownHostsFile="${board_known_hosts:-$state/known_hosts}" \
    -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes "${on_board_opts[@]}" \
    -o LogLevel=ERROR -p "$(board_port)" root@127.0.0.1 "$@"
}

seed_build() {
  local shared=${BESRIG_SHARED_BUILDS:-} cols
  [ -n "$shared" ] && [ -f "$shared/builds.db" ] || return 0
  if [ ! -e "$db" ]; then  # a store of the same schema, without the fixture's builds
    mkdir -p "$(dirname "$db")"
    sqlite3 "$shared/builds.db" ".backup '$db'" || fail "cannot copy the shared builds' store $shared/builds.db"
    q "DELETE FROM builds"
  fi
  cols=$(sqlite3 "$shared/builds.db" "SELECT group_concat(name, ', ') FROM pragma_table_info('builds') WHERE name != 'id'")
  q "ATTACH '$shared/builds.db' AS shared; INSERT INTO builds ($cols) SELECT $cols FROM shared.builds
     WHERE patch = '$1' AND sha256 NOT IN (SELECT sha256 FROM main.builds)" || fail "cannot seed the shared build of $1"
}
shared_build_file() {
  [ -n "${BESRIG_SHARED_BUILDS:-}" ] && [ -f "$BESRIG_SHARED_BUILDS/builds.db" ] || return 0
  sqlite3 "$BESRIG_SHARED_BUILDS/builds.db" "SELECT path FROM builds WHERE patch = '$1' ORDER BY id DESC LIMIT 1"
}
build_patches() {
  local p
  for p in "$@"; do
    seed_build "$p"
    b build --patch "$p"
    expect_status 0
  done
}
srcversion_of() { q "SELECT srcversion FROM builds WHERE patch = '$1' ORDER BY id DESC LIMIT 1"; }
print_reps_mbytes() {
  q "SELECT r.id, r.kind, r.patch, r.verdict, group_concat(printf('%.3f', x.m), ' ') FROM runs r
     JOIN (SELECT p.run_id, p.idx, AVG(s.mean_mbytes) AS m FROM reps p JOIN steps s ON s.rep_id = p.id GROUP BY p.id ORDER BY p.idx) x
     ON x.run_id = r.id WHERE r.kind IN ('baseline', 'phase7') GROUP BY r.id ORDER BY r.id" | sed 's/^/measured: /' >&2
}
prediction_line() {
  q "SELECT predicted || ' | observed ' || printf('%+.1f %% [%+.1f, %+.1f]', observed, lo, hi) || ' | ' || judgement
     FROM verdict_metrics WHERE run_id = $1 AND metric = 'throughput'"
}

# /proc/stat's busy and total ticks of all CPUs, and the board QEMU's own
# (utime + stime), as "busy total qemu".
host_cpu_sample() {
  local qpid qticks=0
  qpid=$(cat "$state/qemu.pid" 2>/dev/null || true)
  [ -n "$qpid" ] && [ -r "/proc/$qpid/stat" ] && qticks=$(sed 's/^.*) //' "/proc/$qpid/stat" | awk '{print $12 + $13}')
  awk -v q="$qticks" '$1 == "cpu" { busy = $2 + $3 + $4 + $7 + $8 + $9; total = busy + $5 + $6; print busy, total, q; exit }' /proc/stat
}
host_cpu_mark() { host_cpu_start=$(host_cpu_sample); }
host_cpu_others_pct() {
  local now
  now=$(host_cpu_sample)
  echo "$host_cpu_start $now" | awk '{ t = $5 - $2; if (t <= 0) { print 100; exit }
    o = ($4 - $1) - ($6 - $3); if (o < 0) o = 0; printf "%.0f\n", 100 * o / t }'
}
