# A board that does not answer SSH by the boot deadline: `sim up` fails with
# the last console lines and leaves nothing running (real QEMU, label e2e).
. "$(dirname "$0")/harness.sh"

command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
qemu-system-x86_64 -accel tcg -machine help >/dev/null 2>&1 || skip "qemu-system-x86_64 cannot run here"
ls /boot/vmlinuz-* >/dev/null 2>&1 || skip "no /boot/vmlinuz-* (apt-get install linux-image-amd64)"

state="$XDG_STATE_HOME/besrig/sim/late"
trap '"$BESRIG" sim down --name late >/dev/null 2>&1 || true; cleanup' EXIT

run_besrig sim up --name late --boot-timeout 2
expect_status 2
expect_err "did not answer SSH within 2.0 s"
expect_err "last console lines"
pgrep -f -- "$state/" >/dev/null && fail "QEMU left running after a missed boot deadline"
[ ! -e "$state/board.json" ] || fail "board.json left behind"
run_besrig sim status --name late
expect_status 3
echo "ok: sim_boot_deadline" >&2
