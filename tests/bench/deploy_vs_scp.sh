#!/bin/bash
# Deploy speed vs plain scp (issue 7, BRIEF §9): the same 2 MB module file to
# the same board, in one run. besrig's figure is upload + verify (sha256sum
# on the board) + install (keep .prev, rename), as its deploy reports them;
# scp's is the wall time of one `scp` of the file (connection included, which
# favours besrig slightly, so besrig's whole command time is printed too).
#
#   tests/bench/deploy_vs_scp.sh [--config rig.json] [MODULE.ko] [REPEATS]
#
# Without MODULE.ko it needs a module for the board's kernel; pass one.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
besrig=${BESRIG:-$here/build/besrig}
cfg_args=()
if [ "${1:-}" = "--config" ]; then cfg_args=(--config "$2"); shift 2; fi
ko=${1:?usage: deploy_vs_scp.sh [--config rig.json] MODULE.ko [REPEATS]}
reps=${2:-3}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$besrig" "${cfg_args[@]}" config show --json > "$work/config.json"
read -r host port user identity known < <(python3 - "$work/config.json" <<'PY'
import json, os, sys
v = json.load(open(sys.argv[1]))["values"]["board"]["mgmt"]
ex = lambda p: os.path.expanduser(p)
print(v["host"], v["port"], v["user"], ex(v["identity_file"]), ex(v["known_hosts"]))
PY
)
now() { date +%s.%N; }
printf "file %s (%s bytes), board %s@%s:%s, %s repetitions\n" "$ko" "$(stat -c %s "$ko")" "$user" "$host" "$port" "$reps"
besrig_sum=0; besrig_wall_sum=0; scp_sum=0
for i in $(seq 1 "$reps"); do
  t0=$(now)
  "$besrig" "${cfg_args[@]}" --json deploy "$ko" > "$work/deploy.json" 2>/dev/null
  t1=$(now)
  d=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["seconds"]; print(s["upload"]+s["verify"]+s["install"])' "$work/deploy.json")
  t2=$(now)
  scp -q -i "$identity" -o UserKnownHostsFile="$known" -o StrictHostKeyChecking=yes -o BatchMode=yes \
      -P "$port" "$ko" "$user@$host:/var/tmp/besrig-bench-scp.ko"
  t3=$(now)
  s=$(echo "$t3 - $t2" | bc -l); w=$(echo "$t1 - $t0" | bc -l)
  printf "rep %d: besrig upload+verify+install %.3f s (whole command %.3f s), scp %.3f s\n" "$i" "$d" "$w" "$s"
  besrig_sum=$(echo "$besrig_sum + $d" | bc -l); besrig_wall_sum=$(echo "$besrig_wall_sum + $w" | bc -l)
  scp_sum=$(echo "$scp_sum + $s" | bc -l)
done
printf "mean: besrig %.3f s, scp %.3f s, ratio besrig/scp %.2f (goal <= 1.5); whole-command ratio %.2f\n" \
  "$(echo "$besrig_sum / $reps" | bc -l)" "$(echo "$scp_sum / $reps" | bc -l)" \
  "$(echo "$besrig_sum / $scp_sum" | bc -l)" "$(echo "$besrig_wall_sum / $scp_sum" | bc -l)"
