# End-to-end (label e2e): one real QEMU board, booted once, shared by every check:
# SSH command, enu1 and wphy0 present, 5 s of iperf3 through the data NIC to a
# loopback iperf3 server, power cycle via QMP (fresh boot), management link cut
# and restore, freeze and thaw, and shutdown with no process left behind.
. "$(dirname "$0")/harness.sh"

command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
qemu-system-x86_64 -accel tcg -machine help >/dev/null 2>&1 || skip "qemu-system-x86_64 cannot run here"
ls /boot/vmlinuz-* >/dev/null 2>&1 || skip "no /boot/vmlinuz-* (apt-get install linux-image-amd64)"
command -v iperf3 >/dev/null || skip "iperf3 not installed (apt-get install iperf3)"

board=e2e
state="${BESRIG_SIM_DIR:-$XDG_STATE_HOME/besrig/sim}/$board"
iperf_pid=
finish() {
  [ -n "$iperf_pid" ] && kill "$iperf_pid" 2>/dev/null || true
  "$BESRIG" sim down --name "$board" >/dev/null 2>&1 || true
  cleanup
}
trap finish EXIT

on_board() { # on_board CMD...: one command over SSH with the board's own key and known_hosts
  ssh -F /dev/null -i "$state/id_ed25519" -o IdentitiesOnly=yes -o UserKnownHostsFile="$state/known_hosts" \
    -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 \
    -o LogLevel=ERROR -p "$(sed -n 's/.*"ssh_port": *\([0-9]*\).*/\1/p' "$state/board.json")" root@127.0.0.1 "$@"
}
wait_ssh() { # wait_ssh SECONDS
  local until=$(( $(date +%s) + $1 ))
  until on_board true 2>/dev/null; do
    [ "$(date +%s)" -lt "$until" ] || return 1
    sleep 1
  done
}

# --- up: boot once ------------------------------------------------------------
run_besrig sim up --name "$board" --boot-timeout 240
expect_status 0
expect_out "boot to SSH"
echo "$out" | head -1 >&2
run_besrig sim status --name "$board" --json
expect_status 0
expect_out '"state": "running"'
expect_out '"kernel_release": "'
[ -f "$state/rig.json" ] || fail "sim up wrote no rig.json"
grep -q "\\[127.0.0.1\\]:" "$state/known_hosts" || fail "sim up wrote no known_hosts entry"

# A second `up` of a running board is refused, naming the way out.
run_besrig sim up --name "$board"
expect_status 2
expect_err "already running"

# --- SSH and the two NICs -------------------------------------------------------
[ "$(on_board hostname)" = ohm ] || fail "hostname is not ohm"
on_board ip link show enu1 >/dev/null || fail "no enu1 on the board"
on_board ip link show wphy0 >/dev/null || fail "no wphy0 on the board"
on_board 'ip -4 -o addr show dev wphy0' | grep -q inet && fail "wphy0 has an address before wlan0 exists"
# The board's own host key, never the host's.
host_fp=$(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub 2>/dev/null | cut -d' ' -f2 || true)
board_fp=$(ssh-keygen -lf "$state/board/ssh_host_ed25519_key.pub" | cut -d' ' -f2)
[ "$host_fp" != "$board_fp" ] || fail "the board uses the host's ssh host key"

# --- 5 s of iperf3 through the data NIC (a temporary address: wlan0 normally sits there)
port=5301
while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
iperf3 -s -B 127.0.0.1 -p "$port" -1 >"$work/iperf3-server.log" 2>&1 &
iperf_pid=$!
sleep 0.5
on_board "ip addr add 10.0.3.15/24 dev wphy0 && iperf3 -c 10.0.3.2 -p $port -t 5 -J > /tmp/iperf.json; rc=\$?; ip addr del 10.0.3.15/24 dev wphy0; cat /tmp/iperf.json; exit \$rc" \
  >"$work/iperf.json" || fail "iperf3 through wphy0 failed: $(tail -5 "$work/iperf.json")"
bps=$(grep -o '"bits_per_second":[[:space:]]*[0-9.e+]*' "$work/iperf.json" | tail -1 | sed 's/.*:[[:space:]]*//')
awk -v b="$bps" 'BEGIN { exit !(b > 1000000) }' || fail "iperf3 moved too little: $bps bit/s"
echo "iperf3 through wphy0: $(awk -v b="$bps" 'BEGIN { printf "%.0f", b / 1e6 }') Mbit/s" >&2
wait "$iperf_pid" 2>/dev/null || true
iperf_pid=

# --- power cycle via QMP: a fresh boot -------------------------------------------
boot_id=$(on_board cat /proc/sys/kernel/random/boot_id)
on_board 'echo lost > /root/ram-only; echo kept > /var/tmp/on-disk'
run_besrig --set board.sim_name="$board" power cycle
expect_status 0
expect_out "power cycle"
wait_ssh 240 || fail "no SSH within 240 s after the power cycle"
[ "$(on_board cat /proc/sys/kernel/random/boot_id)" != "$boot_id" ] || fail "power cycle did not reboot the board"
up_s=$(on_board cut -d. -f1 /proc/uptime)
[ "$up_s" -lt 240 ] || fail "uptime did not reset: $up_s s"
on_board test -e /root/ram-only && fail "RAM state survived the power cycle"
[ "$(on_board cat /var/tmp/on-disk)" = kept ] || fail "/var/tmp did not survive the power cycle"

# --- management link cut and restored ----------------------------------------------
run_besrig sim link --name "$board" mgmt down
expect_status 0
on_board true 2>/dev/null && fail "SSH still answers with the management link down"
run_besrig sim link --name "$board" mgmt up
expect_status 0
wait_ssh 60 || fail "SSH did not come back after restoring the management link"

# --- freeze and thaw -----------------------------------------------------------------
run_besrig sim freeze --name "$board"
expect_status 0
on_board true 2>/dev/null && fail "SSH answers while the board is frozen"
run_besrig sim thaw --name "$board"
expect_status 0
wait_ssh 60 || fail "SSH did not come back after thaw"

# --- down: nothing left behind -------------------------------------------------------------
pid=$(sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' "$state/board.json")
run_besrig sim down --name "$board"
expect_status 0
expect_out "stopped"
kill -0 "$pid" 2>/dev/null && fail "QEMU (pid $pid) still running after sim down"
pgrep -f -- "$state/" >/dev/null && fail "a process still uses $state"
run_besrig sim status --name "$board"
expect_status 3
expect_out "down"
echo "ok: sim_board" >&2
