#!/bin/sh
# Measure the bes2600 stand-in variants on a real 6.1 kernel in QEMU.
#
#   scripts/measure-variants.sh [OUTDIR]
#
# Builds b, c, c-prep, c-v2 with Makefile.kbuild, boots the driver test VM
# (scripts/driver-vm/run.sh: Debian 6.1 kernel, TCG, 2 vCPUs, wlan0 stacked on
# wphy0, controller iperf3 at 10.0.3.2) and runs, inside it:
#   - throughput: iperf3 over wlan0 for every variant and spec, ROUNDS rounds,
#     variants interleaved;
#   - storm runs: STORM_RUNS times Patch C under the besser-like receive stress
#     (STORM_RATE, STORM_DURATION s), each on a fresh module load;
#   - insmod/rmmod cycles.
# Then prints a summary (scripts/driver-vm/summarize.py).
#
# Environment (defaults): ROUNDS=3 DURATION=20 SPECS="rx-32M rx-unl tx-unl"
#   (rx = receive, iperf3 -R; 32M = -b 32M = 4 MB/s; unl = no cap)
#   STORM_RUNS=10 STORM_DURATION=40 STORM_RATE=32M CYCLES=5 PARAMS=
#   TPUT_VARIANTS="b c-prep c-v2" PORT=5291 STORM_VARIANT=c
#   STORM_SAMPLE= (seconds: snapshot debugfs that often during each storm run,
#   out/storm.*.samples: confirms, hw_bufs_drift, frames, queues)
#   DELAYED_ACKS= (non-empty: leave TCP's delayed ACKs on wlan0, as before
#   2026-11-26; by default the route has quickack 1 like the simulated board)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=${1:-$top/build/measure-$(date -u +%Y%m%dT%H%M%SZ)}
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-20}; SPECS=${SPECS:-"rx-32M rx-unl tx-unl"}
STORM_RUNS=${STORM_RUNS:-10}; STORM_DURATION=${STORM_DURATION:-40}; STORM_RATE=${STORM_RATE:-32M}
CYCLES=${CYCLES:-5}; PARAMS=${PARAMS:-}; PORT=${PORT:-5291}; STORM_PORT=${STORM_PORT:-5300}
TPUT_VARIANTS=${TPUT_VARIANTS:-"b c-prep c-v2"}; CYCLE_VARIANTS=${CYCLE_VARIANTS:-"b c c-prep c-v2"}

mkdir -p "$out/ko" "$out/out"
for p in b c c-prep c-v2; do
  make -s -f "$top/Makefile.kbuild" PATCH=$p O="$out/build/$p" >/dev/null
  cp "$out/build/$p/bes2600.ko" "$out/ko/$p.ko"
done
cat > "$out/config" <<CFG
ROUNDS=$ROUNDS
DURATION=$DURATION
SPECS="$SPECS"
TPUT_VARIANTS="$TPUT_VARIANTS"
STORM_RUNS=$STORM_RUNS
STORM_DURATION=$STORM_DURATION
STORM_RATE=$STORM_RATE
STORM_VARIANT=${STORM_VARIANT:-c}
STORM_PORT=$STORM_PORT
STORM_SAMPLE=${STORM_SAMPLE:-}
CYCLE_VARIANTS="$CYCLE_VARIANTS"
CYCLES=$CYCLES
PARAMS="$PARAMS"
DELAYED_ACKS="${DELAYED_ACKS:-}"
PORT=$PORT
CFG
cp "$here/driver-vm/guest-measure.sh" "$out/guest.sh"

pids=
iperf3 -s -p "$PORT" --idle-timeout 30 > "$out/iperf3-server.log" 2>&1 & pids="$pids $!"
i=1
while [ $i -le "$STORM_RUNS" ]; do
  iperf3 -s -p $((STORM_PORT + i)) --idle-timeout 30 --rcv-timeout 5000 > "$out/iperf3-server-$i.log" 2>&1 & pids="$pids $!"
  i=$((i + 1))
done
trap 'kill $pids 2>/dev/null || true' EXIT INT TERM
set -- $SPECS; nspecs=$#; set -- $TPUT_VARIANTS; nvar=$#
budget=$(( ROUNDS * nvar * nspecs * (DURATION + 20) + STORM_RUNS * (STORM_DURATION + 45) + CYCLES * 4 * 10 + 300 ))
echo "measure-variants: results in $out (VM budget ${budget}s)"
"$here/driver-vm/run.sh" "$out" "$budget"
python3 "$here/driver-vm/summarize.py" "$out" | tee "$out/summary.txt"
