# Fault item 8 (label faults): the board's module disk is full during deploy.
# The install directory becomes a small tmpfs holding the installed module:
#   filled to the last byte — deploy refuses at its space check, Phase 6's
#   preflight refuses before touching the board;
#   out of inodes (bytes free, no file can be created) — the upload itself
#   fails with ENOSPC.
# Each time: a clear error naming the disk, the old module installed and
# running, no temporary file left; the store intact, nothing left running.
. "$(dirname "$0")/harness.sh"
IPERF_PORT=5311
. "$BESRIG_SRC/tests/scenarios/fault_deploy_lib.sh"

deploy_preamble b c-prep
ext=$(extra_dir)
runs_before=$(q "SELECT count(*) FROM runs")

# Only our own tmpfs is ever unmounted: under it is the board's real disk (a bind mount).
drop_small_disk="while grep -q '^besrig-fault ' /proc/mounts; do umount '$ext' || break; done"
scenario_cleanup() { on_board "$drop_small_disk; rm -rf /run/fd-save"; }
# $1: extra tmpfs mount options; then fill it (bytes or inodes) with $2.
small_disk() {
  on_board "set -e; $drop_small_disk; rm -rf /run/fd-save; mkdir -p /run/fd-save
    cp -a '$ext/.' /run/fd-save/; mount -t tmpfs -o $1 besrig-fault '$ext'; cp -a /run/fd-save/bes2600.ko '$ext/'; $2; sync"
}
still_b() {
  b_intact "$1"
  [ -z "$(on_board "ls -a '$ext'" | grep -F besrig-upload)" ] || fail "$1: temporary upload left on the board"
}

# 1. No bytes left.
small_disk size=4m "dd if=/dev/zero of='$ext/filler' bs=4k 2>/dev/null || true"
b deploy --patch c-prep --load
expect_status 2
expect_err "disk full on the board"
expect_err "intact"
still_b "deploy onto a full disk"
[ "$(q "SELECT verdict FROM runs WHERE kind = 'deploy' ORDER BY id DESC LIMIT 1")" = INFRA_ERROR ] || fail "deploy run verdict"
b run phase6 --patch c-prep
expect_status 2
expect_out "INFRA_ERROR"
expect_err "free at /"
expect_err "modules/$(release)/extra"
still_b "phase6 onto a full disk"

# 2. No inodes left: space checks pass, creating the upload fails.
small_disk size=16m,nr_inodes=64 "i=0; while touch '$ext/i'\$i 2>/dev/null; do i=\$((i+1)); done"
b deploy --patch c-prep --load
expect_status 2
expect_err "upload failed"
expect_err "No space left on device"
expect_err "intact"
still_b "deploy with no inodes"

[ "$(q "SELECT count(*) FROM runs")" -ge "$runs_before" ] || fail "runs lost"
end_checks
scenario_cleanup
[ "$(running_srcversion)" = "$src_b" ] || fail "b no longer runs after the disk came back"
