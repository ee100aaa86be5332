# End-to-end (label e2e): one real QEMU board, booted once, shared by every check:
# SSH command, enu1 and wphy0 present, 5 s of iperf3 through the data NIC to a
# loopback iperf3 server; the four driver variants (b, c-prep, c-v2, c) built
# with Makefile.kbuild (once per ctest run, by the fixture module_builds) and
# loaded in turn: wlan0 carries traffic and the debugfs
# counters move under b, c-prep and c-v2 with a clean log, c storms (WARN in
# [bes2600]) and wedges wlan0 under the besser stress while enu1 stays up, every
# rmmod leaves no module, no wlan0 and no splat; power cycle via QMP (fresh
# boot), management link cut and restore, freeze and thaw, and shutdown with no
# process left behind; last, `besrig log follow` with netconsole on while the
# board panics (sysrq-c): the panic arrives over netconsole, is stored with
# channel 'netconsole' and classified.
. "$(dirname "$0")/harness.sh"
. "$BESRIG_SRC/tests/scenarios/board_lib.sh"  # shared_build_file

command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
qemu-system-x86_64 -accel tcg -machine help >/dev/null 2>&1 || skip "qemu-system-x86_64 cannot run here"
ls /boot/vmlinuz-* >/dev/null 2>&1 || skip "no /boot/vmlinuz-* (apt-get install linux-image-amd64)"
command -v iperf3 >/dev/null || skip "iperf3 not installed (apt-get install iperf3)"
ls /lib/modules/*/build/Makefile >/dev/null 2>&1 || skip "no kernel headers (apt-get install linux-headers-amd64)"

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

# --- the driver variants: build all four, load each, traffic and counters --------
# ob: on_board that retries a connection failure (exit 255) twice; a TCG board on a
# loaded host can miss one SSH banner deadline (seen at load average 30).
ob() {
  local rc i
  for i in 1 2 3; do
    on_board "$@" && return 0
    rc=$?
    [ "$rc" -eq 255 ] || return "$rc"
    sleep 2
  done
  return "$rc"
}
release=$(ob uname -r)
[ -d "/lib/modules/$release/build" ] || fail "no kernel headers for the board's $release on this host (apt-get install linux-headers-$release)"
# Each variant's module: the ctest fixture module_builds' (Makefile.kbuild
# through `besrig build`, once per ctest run) when it is for the board's
# kernel, else built here with Makefile.kbuild.
declare -A ko
for p in b c-prep c-v2 c; do
  ko[$p]=$(shared_build_file "$p")
  if [ -n "${ko[$p]}" ] && modinfo -F vermagic "${ko[$p]}" | grep -q "^$release "; then
    [ "$(modinfo -F version "${ko[$p]}")" = "1.0-sim-$p" ] || fail "the shared build of $p is version $(modinfo -F version "${ko[$p]}")"
    continue
  fi
  make -s -f "$BESRIG_SRC/Makefile.kbuild" PATCH="$p" KDIR="/lib/modules/$release/build" O="$work/kbuild/$p" \
    >"$work/kbuild-$p.log" 2>&1 || fail "Makefile.kbuild PATCH=$p failed: $(tail -5 "$work/kbuild-$p.log")"
  [ -f "$work/kbuild/$p/bes2600.ko" ] || fail "Makefile.kbuild PATCH=$p made no bes2600.ko"
  ko[$p]="$work/kbuild/$p/bes2600.ko"
done
port=5311
while (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
iperf3 -s -B 127.0.0.1 -p "$port" >"$work/iperf3-variants.log" 2>&1 &
iperf_pid=$!
S=/sys/kernel/debug/bes2600/status
counter() { sed -n "s/^$2: *//p" "$1"; } # counter FILE NAME
load_variant() { # load_variant PATCH: insmod over the uncached /host view, wait for wlan0 with its address
  ob "dmesg -C; insmod /host${ko[$1]} lower=wphy0" || fail "insmod of $1 failed"
  ob 'for i in $(seq 60); do ip -4 -o addr show dev wlan0 2>/dev/null | grep -q 10.0.3.15 && exit 0; sleep 0.5; done; exit 1' \
    || fail "$1: wlan0 did not come up with 10.0.3.15"
  [ "$(ob "sed -n 's/^variant: //p' $S")" = "$1" ] || fail "$1: debugfs reports another variant"
  # An ACK per segment on the data link (sim/wlan-watch.sh): without it throughput has ACK modes.
  ob 'for i in $(seq 20); do ip -4 route show dev wlan0 | grep -q "quickack 1" && exit 0; sleep 0.25; done; exit 1' \
    || fail "$1: wlan0's route has no quickack: $(ob ip -4 route show dev wlan0)"
}
unload_variant() { # unload_variant PATCH: rmmod, then nothing of it may be left
  ob rmmod bes2600 || fail "$1: rmmod failed"
  ob 'grep -q "^bes2600 " /proc/modules' && fail "$1: bes2600 still in /proc/modules after rmmod"
  ob test -e /sys/class/net/wlan0 && fail "$1: wlan0 still exists after rmmod"
  ob dmesg >"$work/dmesg-$1.txt"
  grep -q "unregister_netdevice: waiting" "$work/dmesg-$1.txt" && fail "$1: netdev refcount leak: $(grep unregister_netdevice "$work/dmesg-$1.txt" | head -1)"
  if [ "$1" != c ] && grep -E "WARNING|BUG|Oops|link break" "$work/dmesg-$1.txt" >&2; then fail "$1: splat in the kernel log"; fi
  true
}
for p in b c-prep c-v2; do
  load_variant "$p"
  ob 'ping -c 2 -W 2 10.0.3.2' >/dev/null || fail "$p: no ping reply over wlan0"
  ob cat $S >"$work/status-$p.before"
  ob "iperf3 -c 10.0.3.2 -p $port -R -t 4 -J" >"$work/iperf-$p.json" || fail "$p: iperf3 over wlan0 failed: $(tail -3 "$work/iperf-$p.json")"
  ob cat $S >"$work/status-$p.after"
  bps=$(grep -o '"bits_per_second":[[:space:]]*[0-9.e+]*' "$work/iperf-$p.json" | tail -1 | sed 's/.*:[[:space:]]*//')
  awk -v b="$bps" 'BEGIN { exit !(b > 1000000) }' || fail "$p: wlan0 moved too little: $bps bit/s"
  for c in rx_frames confirms sdio_rx_runs bh_runs; do
    before=$(counter "$work/status-$p.before" "$c"); after=$(counter "$work/status-$p.after" "$c")
    [ -n "$before" ] && [ -n "$after" ] || fail "$p: no $c in $S"
    [ "$after" -gt $((before + 100)) ] || fail "$p: $c did not move under traffic ($before -> $after)"
  done
  for c in underflow_warns link_breaks hw_bufs_drift; do
    [ "$(counter "$work/status-$p.after" "$c")" = 0 ] || fail "$p: $c is $(counter "$work/status-$p.after" "$c") after clean traffic"
  done
  unload_variant "$p"
  load_variant "$p"; unload_variant "$p"  # a second insmod/rmmod cycle
  echo "variant $p: $(awk -v b="$bps" 'BEGIN { printf "%.2f", b / 8e6 }') MB/s received over wlan0, counters moved, log clean" >&2
done

# Patch c under the besser stress (receive, 4 MB/s): the race storms and wedges
# wlan0 while enu1 answers. Stops as soon as the link break is logged (90 s cap).
load_variant c
ob "nohup iperf3 -c 10.0.3.2 -p $port -R -b 32M -t 90 >/tmp/stress.log 2>&1 & echo \$! >/tmp/stress.pid"
t0=$(date +%s)
until ob 'dmesg | grep -q "link break between lmac and host"'; do
  [ $(( $(date +%s) - t0 )) -lt 100 ] || { ob dmesg | tail -5 >&2; fail "c: no link break within 100 s of stress"; }
  sleep 2
done
echo "variant c: link break $(( $(date +%s) - t0 )) s after stress start" >&2
ob 'kill $(cat /tmp/stress.pid) 2>/dev/null; true'
ob dmesg >"$work/dmesg-c-stress.txt"
nwarn=$(grep -c "WARNING: .* wsm_release_tx_buffer.* \[bes2600\]" "$work/dmesg-c-stress.txt" || true)
[ "$nwarn" -ge 10 ] || fail "c: expected a WARN storm in wsm_release_tx_buffer [bes2600], got $nwarn: $(grep WARNING "$work/dmesg-c-stress.txt" | head -2)"
[ "$(ob "sed -n 's/^wedged: //p' $S")" = 1 ] || fail "c: debugfs does not report the wedge"
ob 'ping -c 3 -W 2 10.0.3.2' >/dev/null 2>&1 && fail "c: wlan0 still answers pings after the storm"
ob 'ip link show enu1 | grep -q "state UP"' || fail "c: enu1 not up after the storm"
unload_variant c
echo "variant c: $nwarn WARNs in wsm_release_tx_buffer [bes2600], wlan0 dead, enu1 alive, rmmod clean" >&2
kill "$iperf_pid" 2>/dev/null || true
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

# --- netconsole: the second kernel-log channel survives a panic --------------------
# `besrig log follow` listens on UDP (kernel_log.netconsole); the board's stock
# netconsole module sends to the controller. On the sim that is 10.0.3.2 over
# the data NIC: the management net is `restrict=on` (slirp drops guest UDP to
# the host there), the data net maps 10.0.3.2 to the host's loopback.
ncport=6666
until python3 -c 'import socket,sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(("127.0.0.1", int(sys.argv[1])))' "$ncport" 2>/dev/null; do
  ncport=$((ncport + 1))
done
db="$HOME/.local/share/besrig/besrig.db"
"$BESRIG" --set board.sim_name="$board" --set kernel_log.netconsole.enabled=true --set kernel_log.netconsole.port="$ncport" \
  log follow --seconds 45 >"$work/follow.out" 2>"$work/follow.err" &
follow_pid=$!
for _ in $(seq 60); do grep -q "following the kernel log" "$work/follow.err" 2>/dev/null && break; sleep 0.5; done
grep -q "following the kernel log" "$work/follow.err" || fail "log follow did not start: $(cat "$work/follow.err")"
ob "ip link set wphy0 up && modprobe netconsole 'netconsole=+@10.0.3.15/wphy0,$ncport@10.0.3.2/' && dmesg -n 8" || fail "modprobe netconsole failed on the board"
ob 'echo "besrig-e2e: netconsole probe" > /dev/kmsg'
# The probe must be stored from the SSH stream before the panic cuts it.
for _ in $(seq 40); do
  [ "$(sqlite3 -cmd ".timeout 5000" "$db" "SELECT count(*) FROM kmsg WHERE channel = 'kmsg' AND text LIKE '%netconsole probe%'" 2>/dev/null || echo 0)" -ge 1 ] && break
  sleep 0.5
done
ob 'echo 1 > /proc/sys/kernel/sysrq; nohup sh -c "sleep 1; echo c > /proc/sysrq-trigger" >/dev/null 2>&1 &' || true
wait "$follow_pid" || fail "log follow failed: $(cat "$work/follow.err")"
cat "$work/follow.out" >&2
run_log=$(sqlite3 "$db" "SELECT max(id) FROM runs WHERE kind = 'log'")
[ "$(sqlite3 "$db" "SELECT count(*) FROM kmsg WHERE run_id = $run_log AND channel = 'netconsole' AND text LIKE '%netconsole probe%'")" -ge 1 ] \
  || fail "the probe line did not arrive over netconsole"
[ "$(sqlite3 "$db" "SELECT count(*) FROM kmsg WHERE run_id = $run_log AND channel = 'kmsg' AND text LIKE '%netconsole probe%'")" -ge 1 ] \
  || fail "the probe line did not arrive over the SSH stream"
[ "$(sqlite3 "$db" "SELECT count(*) FROM kmsg WHERE run_id = $run_log AND channel = 'netconsole' AND text LIKE 'Kernel panic - not syncing%'")" -ge 1 ] \
  || fail "the panic line was not stored from netconsole: $(sqlite3 "$db" "SELECT channel, text FROM kmsg WHERE run_id = $run_log ORDER BY id DESC LIMIT 5")"
[ "$(sqlite3 "$db" "SELECT count(*) FROM kernel_events WHERE run_id = $run_log AND class = 'PANIC'")" -ge 1 ] \
  || fail "the panic was not classified: $(sqlite3 "$db" "SELECT class, title FROM kernel_events WHERE run_id = $run_log")"
echo "netconsole: $(sqlite3 "$db" "SELECT count(*) FROM kmsg WHERE run_id = $run_log AND channel = 'netconsole'") record(s) over netconsole, panic stored and classified" >&2

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
