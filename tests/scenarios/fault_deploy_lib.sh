# Shared by sim_phase6.sh and the fault_deploy_*.sh scenarios (Phase 6 and
# fault items 8-12). Sourced after harness.sh. The board: the ctest fixture's
# (BESRIG_SHARED_BOARD, see fault_deploy_board.sh) or, run by hand, one booted
# here and shut down at exit. Each scenario gets its own config (its own
# known_hosts copy and iperf3 port), store and bundle.
#   on_board CMD...   the test's own lever: plain OpenSSH to the board as root
#   build_patches P.. besrig build for each patch (the scenario's own bundle)
#   srcversion_of P   the bundle's srcversion of patch P
#   running_srcversion / installed_sha256   from `besrig status --json`
#   end_checks        store integrity, and nothing of this test left running
#                     on the controller or the board
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
qemu-system-x86_64 -accel tcg -machine help >/dev/null 2>&1 || skip "qemu-system-x86_64 cannot run here"
ls /lib/modules/*/build/Makefile >/dev/null 2>&1 || skip "no kernel headers (apt-get install linux-headers-amd64)"
command -v sqlite3 >/dev/null || skip "sqlite3 not installed"

: "${IPERF_PORT:?the scenario sets IPERF_PORT (distinct per scenario)}"
own_board=0
if [ -n "${BESRIG_SHARED_BOARD:-}" ]; then
  export BESRIG_SIM_DIR="$BESRIG_SHARED_BOARD"
  [ -f "$BESRIG_SIM_DIR/ohm/known_hosts" ] || skip "the fixture booted no board in $BESRIG_SIM_DIR (see scenario.fault_deploy_board_up)"
else
  export BESRIG_SIM_DIR="$work/sim"
  own_board=1
fi
state="$BESRIG_SIM_DIR/ohm"
cp "$state/known_hosts" "$work/known_hosts" 2>/dev/null || true
cp "$state/known_hosts" "$work/lever_known_hosts" 2>/dev/null || true
cat > "$work/rig.json" <<JSON
{
  "board": { "kind": "sim", "sim_name": "ohm", "mgmt": { "known_hosts": "$work/known_hosts" } },
  "iperf3": { "port": $IPERF_PORT },
  "timeouts": { "connect_s": 20, "command_s": 90, "load_s": 60, "link_up_s": 60, "boot_s": 300 }
}
JSON
b() { run_besrig --config "$work/rig.json" "$@"; }
db="$HOME/.local/share/besrig/besrig.db"
q() { sqlite3 "$db" "$1"; }

finish() {
  local rc=$?
  [ "$(type -t scenario_cleanup)" = function ] && { scenario_cleanup || true; }
  [ "$own_board" = 1 ] && "$BESRIG" --config "$work/rig.json" sim down >/dev/null 2>&1
  cleanup
  exit $rc
}
trap finish EXIT

if [ "$own_board" = 1 ]; then
  b sim up --boot-timeout 300
  expect_status 0
  cp "$state/known_hosts" "$work/known_hosts"
  cp "$state/known_hosts" "$work/lever_known_hosts"
fi

# The board's SSH port, from the known_hosts line `besrig sim up` writes.
board_port() { sed -n 's/^\[127\.0\.0\.1\]:\([0-9]*\) .*/\1/p' "$state/known_hosts" | head -1; }
on_board() {
  ssh -q -F /dev/null -i "$state/id_ed25519" -o IdentitiesOnly=yes -o UserKnownHostsFile="$work/lever_known_hosts" \
    -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes \
    -o BatchMode=yes -o ConnectTimeout=30 -p "$(board_port)" root@127.0.0.1 "$@"
}

build_patches() {
  local p
  for p in "$@"; do
    b build --patch "$p"
    expect_status 0
  done
}
srcversion_of() { q "SELECT srcversion FROM builds WHERE patch = '$1' ORDER BY id DESC LIMIT 1"; }
status_field() {
  b status --json
  expect_status 0
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["module"]; print(eval(sys.argv[2]))' "$work/out" "$1"
}
running_srcversion() { status_field 'm["running"]["srcversion"] if m["running"]["loaded"] else ""'; }
installed_sha256() { status_field 'm["installed"]["sha256"] if m["installed"]["present"] else ""'; }
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
