# Shared by sim_phase6.sh and the fault_deploy_*.sh scenarios (Phase 6 and
# fault items 8-12). Sourced after harness.sh, with IPERF_PORT set (distinct
# per scenario). The board: the ctest fixture's (BESRIG_SHARED_BOARD, see
# fault_deploy_board.sh) or, run by hand, one booted here and shut down at
# exit (board_lib.sh: attach_board). Each scenario gets its own config (its
# own known_hosts copy and iperf3 port), store and bundle; build_patches
# reuses the fixture module_builds' builds (seed_build).
#   deploy_preamble P..  the common start: build P.. (the scenario's own
#                     bundle; reused from the fixture), deploy b and load it,
#                     and set src_b (b's srcversion) and sha_b (its sha256)
#   on_board CMD...   the test's own lever: plain OpenSSH to the board as root
#                     ($work/lever_known_hosts: the host_key scenario adds a key)
#   build_patches P.. / srcversion_of P   (board_lib.sh)
#   running_srcversion / installed_sha256   from `besrig status --json`
#   b_intact WHAT     b still installed (sha_b) and running (src_b), one status
#   release / extra_dir   the board's kernel release and module directory
#   end_checks        store integrity, and nothing of this test left running
#                     on the controller or the board
# A scenario may define scenario_cleanup: run at exit, whatever happened.
. "$BESRIG_SRC/tests/scenarios/board_lib.sh"
require_board_tools sqlite3

: "${IPERF_PORT:?the scenario sets IPERF_PORT (distinct per scenario)}"
attach_board
board_known_hosts="$work/lever_known_hosts"
cp "$state/known_hosts" "$work/known_hosts" 2>/dev/null || true
cp "$state/known_hosts" "$work/lever_known_hosts" 2>/dev/null || true
cat > "$work/rig.json" <<JSON
{
  "board": { "kind": "sim", "sim_name": "ohm", "mgmt": { "known_hosts": "$work/known_hosts" } },
  "iperf3": { "port": $IPERF_PORT },
  "timeouts": { "connect_s": 20, "command_s": 90, "load_s": 60, "link_up_s": 60, "boot_s": 300 }
}
JSON

finish() {
  local rc=$?
  [ "$(type -t scenario_cleanup)" = function ] && { scenario_cleanup || true; }
  [ "$own_board" = 1 ] && "$BESRIG" --config "$work/rig.json" sim down >/dev/null 2>&1
  cleanup
  exit $rc
}
trap finish EXIT

if [ "$own_board" = 1 ]; then
  boot_own_board
  cp "$state/known_hosts" "$work/known_hosts"
  cp "$state/known_hosts" "$work/lever_known_hosts"
fi

deploy_preamble() {
  build_patches "$@"
  src_b=$(srcversion_of b)
  b deploy --patch b --load
  expect_status 0
  sha_b=$(installed_sha256)
}

status_field() {
  b status --json
  expect_status 0
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["module"]; print(eval(sys.argv[2]))' "$work/out" "$1"
}
running_srcversion() { status_field 'm["running"]["srcversion"] if m["running"]["loaded"] else ""'; }
installed_sha256() { status_field 'm["installed"]["sha256"] if m["installed"]["present"] else ""'; }
# b_intact WHAT: one `besrig status --json` for both facts: the installed
# module is still b's (sha_b) and b still runs (src_b); WHAT names the moment.
b_intact() {
  b status --json
  expect_status 0
  local facts
  facts=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["module"]
print((m["installed"]["sha256"] if m["installed"]["present"] else "-"), (m["running"]["srcversion"] if m["running"]["loaded"] else "-"))' "$work/out")
  [ "${facts% *}" = "$sha_b" ] || fail "$1: the installed module changed"
  [ "${facts#* }" = "$src_b" ] || fail "$1: b no longer runs"
}
release() { on_board cat /proc/sys/kernel/osrelease; }
extra_dir() { echo "/lib/modules/$(release)/extra"; }

end_checks() {
  [ "$(q "PRAGMA integrity_check")" = ok ] || fail "store integrity_check: $(q "PRAGMA integrity_check")"
  [ "$(q "SELECT count(*) FROM runs WHERE status = 'running'")" = 0 ] || fail "a run was left open"
  ! pgrep -f -- "$work/rig.json" >/dev/null || fail "a besrig process of this test still runs: $(pgrep -af -- "$work/rig.json")"
  # Children besrig left behind (the iperf3 server writes into this test's
  # artifacts): any process holding a file of $work open. (Ports are no
  # guide: another process may hold IPERF_PORT, and besrig then takes the next.)
  local p held="" board_pid
  board_pid=$(cat "$state/qemu.pid" 2>/dev/null || true)  # a board booted here runs until exit
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" = "$$" ] && continue
    [ "$own_board" = 1 ] && [ "${p#/proc/}" = "$board_pid" ] && continue
    ls -l "$p/fd" 2>/dev/null | grep -qF -- "$work/" && held="$held $(tr '\0' ' ' < "$p/cmdline" 2>/dev/null);"
  done
  [ -z "$held" ] || fail "processes of this test are still running:$held"
  local left
  left=$(on_board 'ps -o pid,args 2>/dev/null || ps' | grep -E 'rmmod|insmod|sha256sum|iperf3|dd if=|fallocate' | grep -v grep || true)
  [ -z "$left" ] || fail "left running on the board: $left"
  left=$(on_board "ls -a $(extra_dir)" | grep -F besrig-upload || true)
  [ -z "$left" ] || fail "upload temporary file left on the board: $left"
}
