#!/run/besrig/bin/busybox sh
# Board-side setup of the simulated "ohm", run once by init (sysinit) in the
# switched root. Names the NICs as on the real board, configures the management
# link, writes sshd's config and loads the installed driver module.
bb=/run/besrig/bin/busybox
. /run/besrig/board.env
release=$(cat /run/besrig/release)

log() { echo "board-init: $*"; }

$bb hostname "$BOARD_HOSTNAME"
echo "$BOARD_HOSTNAME" > /etc/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n' "$BOARD_HOSTNAME" > /etc/hosts
# No name servers: the board talks only to the controller's addresses.
: > /etc/resolv.conf

# Reboot and power-off go through busybox init (the host's are systemd's).
for a in reboot poweroff halt; do
  ln -sf $bb /usr/sbin/$a
done

# Rename NICs by MAC: QEMU's mac= options decide which one is which.
for dev in /sys/class/net/*; do
  name=${dev##*/}
  read -r mac < "$dev/address"
  case $mac in
    "$MGMT_MAC") ip link set dev "$name" name enu1 ;;
    "$DATA_MAC") ip link set dev "$name" name wphy0 ;;
  esac
done

ip link set lo up
ip addr add "$MGMT_ADDR" dev enu1
ip link set enu1 up
ip route add default via "$MGMT_GW" dev enu1

# The data NIC is only the lower device of wlan0: up, no address of its own.
echo 1 > /proc/sys/net/ipv6/conf/wphy0/disable_ipv6
ip link set wphy0 up

mkdir -p /run/sshd
chmod 0755 /run/sshd
cat > /run/besrig/sshd_config <<CFG
ListenAddress ${MGMT_ADDR%/*}:22
HostKey /run/besrig/ssh_host_ed25519_key
AuthorizedKeysFile /run/besrig/authorized_keys
PermitRootLogin prohibit-password
AllowUsers root
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PidFile /run/sshd.pid
Subsystem sftp internal-sftp
AcceptEnv LANG LC_*
LogLevel INFO
CFG

# Pin the static keys the rig flips at run time, so the kernel never
# live-patches its text while the other vCPU runs it. Under QEMU TCG (multi-
# threaded) a text_poke_bp() on one vCPU can leave the other looping on a
# stale int3 with interrupts off: RCU stall, board dead. Seen on a quiet
# host at the end of a baseline rep, `besrig sim cpus`: CPU#1 at
# asm_exc_int3 above netif_receive_skb_list_internal+0x59 (the
# netstamp_needed_key branch, which every `ping` of the data-path probe
# flips: iputils sets SO_TIMESTAMP), CPU#0 idle. The real board has no such
# emulator bug, so this lives here, not in the rig.
#  - netstamp_needed_key: a ping that keeps its SO_TIMESTAMP socket open
#    (one echo to itself per day) holds the key on;
#  - the workqueue_execute_start tracepoint the rig enables and disables per
#    repetition: enabled in an instance of its own (recording off), its key
#    stays on and the rig's enable/disable only adds and removes probes.
ping -q -i 86400 127.0.0.1 </dev/null >/dev/null 2>&1 &
keep=/sys/kernel/tracing/instances/besrig-keys
if mkdir -p "$keep" 2>/dev/null && [ -d "$keep/events/workqueue/workqueue_execute_start" ]; then
  echo 0 > "$keep/tracing_on"
  echo 1 > "$keep/events/workqueue/workqueue_execute_start/enable"
else
  log "could not pin the workqueue_execute_start tracepoint (no tracefs instance)"
fi

# Like the tablet, boot loads the installed driver (udev does it there).
if [ -n "${AUTOLOAD_MODULE:-}" ]; then
  ko=/lib/modules/$release/extra/$AUTOLOAD_MODULE.ko
  if [ -f "$ko" ]; then
    log "loading installed $ko"
    insmod "$ko" $AUTOLOAD_PARAMS || log "insmod $ko failed"
  fi
fi
log "ready: $BOARD_HOSTNAME enu1=$MGMT_ADDR release=$release"
