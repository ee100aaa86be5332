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

# Like the tablet, boot loads the installed driver (udev does it there).
if [ -n "${AUTOLOAD_MODULE:-}" ]; then
  ko=/lib/modules/$release/extra/$AUTOLOAD_MODULE.ko
  if [ -f "$ko" ]; then
    log "loading installed $ko"
    insmod "$ko" $AUTOLOAD_PARAMS || log "insmod $ko failed"
  fi
fi
log "ready: $BOARD_HOSTNAME enu1=$MGMT_ADDR release=$release"
