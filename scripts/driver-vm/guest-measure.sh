#!/bin/sh
# Runs inside the driver test VM (scripts/driver-vm/run.sh) as /mnt/guest.sh.
# Reads /mnt/config (shell variables written by scripts/measure-variants.sh),
# writes results under /mnt/out/.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
. /mnt/config
out=/mnt/out
mkdir -p $out
S=/sys/kernel/debug/bes2600/status
log() { echo "guest: $*"; }

for d in /sys/class/net/*; do n=${d##*/}; mac=$(cat $d/address)
  case $mac in 52:54:00:be:00:01) ip link set $n name enu1;; 52:54:00:be:00:02) ip link set $n name wphy0;; esac; done
ip link set lo up; ip addr add 10.0.2.15/24 dev enu1; ip link set enu1 up
echo 1 > /proc/sys/net/ipv6/conf/wphy0/disable_ipv6
ip link set wphy0 up
nproc > $out/nproc

load() {  # variant
  insmod /mnt/ko/$1.ko $PARAMS || { log "insmod $1 failed"; return 1; }
  for _w in $(seq 50); do [ -e /sys/class/net/wlan0 ] && break; sleep 0.1; done
  ip addr add 10.0.3.15/24 dev wlan0; ip link set wlan0 up
  # An ACK per segment, as on the simulated board (sim/wlan-watch.sh says why).
  [ -n "${DELAYED_ACKS:-}" ] || ip route change 10.0.3.0/24 dev wlan0 quickack 1 || log "quickack not set"
  busybox ping -c 2 -W 2 10.0.3.2 > /dev/null 2>&1 || log "$1: no ping reply over wlan0"
  return 0
}
unload() {
  rmmod bes2600 || log "rmmod failed"
}

# Throughput: every variant in TPUT_VARIANTS, every spec in SPECS, ROUNDS rounds,
# variants interleaved per round to cancel drift.
r=1
while [ $r -le ${ROUNDS:-0} ]; do
  for v in $TPUT_VARIANTS; do
    load $v || continue
    for spec in $SPECS; do
      case $spec in
        rx*) dir=-R ;; *) dir= ;;
      esac
      rate=${spec#*-}; case $rate in unl) bflag= ;; *) bflag="-b $rate" ;; esac
      f=$out/tput.$v.$spec.$r
      cat $S > $f.before
      timeout $((DURATION + 30)) iperf3 -c 10.0.3.2 -p $PORT $dir $bflag -t $DURATION -O 2 -J > $f.json 2>&1
      cat $S > $f.after
    done
    dmesg > $out/dmesg.$v.$r; dmesg -C
    unload
  done
  r=$((r + 1))
done

# Storm runs: STORM_VARIANT (c) under the besser-like receive stress.
i=1
while [ $i -le ${STORM_RUNS:-0} ]; do
  v=${STORM_VARIANT:-c}
  load $v || break
  f=$out/storm.$v.$i
  dmesg -C
  cat $S > $f.before
  cut -d' ' -f1 /proc/uptime > $f.t0
  sampler=
  if [ -n "${STORM_SAMPLE:-}" ]; then  # debugfs every STORM_SAMPLE s: drift vs confirms
    ( while :; do
        printf 't=%s ' "$(cut -d' ' -f1 /proc/uptime)"
        grep -E '^(confirms|hw_bufs_drift|rx_frames|tx_frames|fw_fifo|rx_queue|tx_queue|state):' $S | tr '\n' ' '
        echo; sleep $STORM_SAMPLE
      done > $f.samples 2>&1 ) &
    sampler=$!
  fi
  timeout $((STORM_DURATION + 20)) iperf3 -c 10.0.3.2 -p $((STORM_PORT + i)) -R -b $STORM_RATE \
    -t $STORM_DURATION -i 1 --forceflush > $f.iperf 2>&1
  cut -d' ' -f1 /proc/uptime > $f.t1
  [ -z "$sampler" ] || kill $sampler
  cat $S > $f.after
  # data path over wlan0 vs. management path over enu1
  # TCP probes: over wlan0 to the controller, over enu1 to the host (slirp gateway)
  if timeout 10 iperf3 -c 10.0.3.2 -p $PORT -t 1 --connect-timeout 3000 > $f.probe-wlan0 2>&1; then echo up > $f.wlan0; else echo dead > $f.wlan0; fi
  if timeout 10 iperf3 -c 10.0.2.2 -p $PORT -t 1 --connect-timeout 3000 > $f.probe-enu1 2>&1; then echo up > $f.enu1; else echo dead > $f.enu1; fi
  sleep ${STORM_SETTLE:-0}
  dmesg > $f.dmesg
  unload
  dmesg > $f.dmesg-unload
  i=$((i + 1))
done

# insmod/rmmod cycles of every variant.
for v in $CYCLE_VARIANTS; do
  dmesg -C
  n=0
  while [ $n -lt ${CYCLES:-0} ]; do load $v; unload; n=$((n + 1)); done
  dmesg > $out/cycles.$v.dmesg
  grep -c . /proc/modules > $out/cycles.$v.modules
done
log done
