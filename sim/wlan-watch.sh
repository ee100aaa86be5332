#!/run/besrig/bin/busybox sh
# Stand-in for NetworkManager on the real board: whenever a new wlan0 appears
# (the driver module was loaded), bring it up with the board's data address.
# Nothing else: no routes beyond the subnet, no DHCP. Polls sysfs once a second with no
# fork but busybox (static, on tmpfs): cheap under TCG.
#
# The subnet route gets `quickack 1`: the board's TCP acknowledges every data
# segment at once. Each ACK is a transmitted frame and takes one of the chip's
# 16 traffic buffers, so the share of buffers left for data is the data/ACK
# ratio. Left to delayed ACKs, that ratio settled per connection into one of
# two or three modes (about 2.5, 3.1 or 4 segments per ACK, set by when
# iperf3 happened to read), and throughput of one variant jumped 8-13 %
# between reps: the noise that kept c-v2's prediction from a reliable verdict
# at N=3 (docs/statistics.md). With an ACK per segment the ratio is 1.0 in
# every rep and throughput is the model's 8 data frames per buffer cycle
# (driver/README.md). sim/README.md has the measurements.
. /run/besrig/board.env
# iproute2 from the host root: busybox's `ip` (which this shell prefers to PATH) has no
# quickack.
iproute=/bin/ip
done_index=
while :; do
  if [ -r /sys/class/net/wlan0/ifindex ] && read -r idx < /sys/class/net/wlan0/ifindex; then
    if [ "$idx" != "$done_index" ]; then
      if ip link set wlan0 up && ip addr replace "$WLAN_ADDR" dev wlan0; then
        route=$($iproute -4 route show dev wlan0 scope link | { read -r r; echo "$r"; })
        if [ -n "$route" ] && $iproute route change $route dev wlan0 quickack 1; then
          echo "wlan-watch: wlan0 (ifindex $idx) up with $WLAN_ADDR, quickack on $route"
        else
          echo "wlan-watch: wlan0 (ifindex $idx) up with $WLAN_ADDR; quickack NOT set (route '$route')"
        fi
      fi
      done_index=$idx
    fi
  fi
  /run/besrig/bin/busybox sleep 1
done
