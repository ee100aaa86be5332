#!/run/besrig/bin/busybox sh
# Stand-in for NetworkManager on the real board: whenever a new wlan0 appears
# (the driver module was loaded), bring it up with the board's data address.
# Nothing else: no routes beyond the subnet, no DHCP. Polls sysfs once a second with no
# fork but busybox (static, on tmpfs): cheap under TCG.
. /run/besrig/board.env
done_index=
while :; do
  if [ -r /sys/class/net/wlan0/ifindex ] && read -r idx < /sys/class/net/wlan0/ifindex; then
    if [ "$idx" != "$done_index" ]; then
      ip link set wlan0 up && ip addr replace "$WLAN_ADDR" dev wlan0 &&
        echo "wlan-watch: wlan0 (ifindex $idx) up with $WLAN_ADDR"
      done_index=$idx
    fi
  fi
  /run/besrig/bin/busybox sleep 1
done
