#!/bin/sh
# Storm onset of Patch C under the default Phase 7 stress shape (besser: receive,
# iperf3 -R rate-capped at 4 MB/s), N runs, each on a fresh module load.
#
#   scripts/measure-storm.sh N [OUTDIR]
#
# Per run: WARN count (all must be in [bes2600]), storm onset in seconds from
# stress start (first WARN), link break (wedge) time, wlan0 and enu1 after the
# stress (TCP probe). Host load (uptime) is recorded before and after: the
# driver VM runs under TCG on a host shared with other QEMU boards, so onset
# times carry that noise. A thin front end to measure-variants.sh (no
# throughput rounds, no insmod/rmmod cycles). Environment: STORM_VARIANT (c),
# STORM_DURATION (35 s), STORM_RATE (32M = 4 MB/s), PARAMS (module parameters).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${1:?usage: measure-storm.sh N [OUTDIR]}
out=${2:-$here/../build/storm-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
{ echo "before: $(uptime)"; } > "$out/host-load.txt"
ROUNDS=0 CYCLES=0 STORM_RUNS=$n STORM_DURATION=${STORM_DURATION:-35} \
  STORM_VARIANT=${STORM_VARIANT:-c} "$here/measure-variants.sh" "$out"
echo "after:  $(uptime)" >> "$out/host-load.txt"
cat "$out/host-load.txt"
