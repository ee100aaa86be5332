#!/bin/bash
# Triage throughput against grep -E on the same file, side by side in one run.
#
#   bench/triage_bench.sh [BESRIG] [LOG] [TARGET_MB]
#
# BESRIG     the besrig binary (default: build/besrig)
# LOG        the seed log (default: ../shared/corpora/kernel-logs/logspec/linux_boot_005.log)
# TARGET_MB  the seed is replicated to about this size (default 50)
#
# grep runs with LC_ALL=C (its fastest mode) and -c (no output cost) on the
# header patterns the classifier looks for; besrig runs the full pipeline:
# record parsing, classification, titles, fingerprints, JSON out. Each is run
# three times and the best time is kept. Prints MB/s for both and the ratio
# (besrig time / grep time; the goal is <= 2), on CPU time (user + sys, what
# the work costs) and on wall time (what a busy shared machine makes of it).
# A benchmark, not a test: it never fails on speed.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
besrig=${1:-$here/build/besrig}
seed=${2:-$here/../shared/corpora/kernel-logs/logspec/linux_boot_005.log}
target_mb=${3:-50}

[ -x "$besrig" ] || { echo "triage_bench: no besrig binary at $besrig (build first)" >&2; exit 2; }
# Absolute: besrig runs from the scratch directory (a relative path read as "0 reports").
besrig=$(cd "$(dirname "$besrig")" && pwd)/$(basename "$besrig")
[ -r "$seed" ] || { echo "triage_bench: cannot read $seed" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/besrig-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
big=$work/big.log
seed_bytes=$(wc -c < "$seed")
copies=$(( target_mb * 1024 * 1024 / seed_bytes + 1 ))
i=0
while [ $i -lt $copies ]; do cat "$seed"; i=$((i + 1)); done > "$big"
bytes=$(wc -c < "$big")

patterns='WARNING: |BUG: |Oops|general protection fault|Kernel panic - not syncing|INFO: task .* blocked for more than|INFO: rcu_(preempt|sched|bh) .*stall|soft lockup|hard LOCKUP|UBSAN: |kernel BUG at|Unable to handle kernel|link break between lmac and host|wait pm ind timeout|sdio read error|---\[ end '

# Best of three: prints "wall_seconds cpu_seconds" of the fastest run (by CPU).
best_of_three() {
    local best_cpu="" best_wall="" t real user sys cpu
    for _ in 1 2 3; do
        # Not /dev/null: GNU grep notices it and stops at the first match.
        t=$( { TIMEFORMAT="%R %U %S"; time "$@" > "$work/out"; } 2>&1 )
        read -r real user sys <<< "$t"
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
        if [ -z "$best_cpu" ] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then
            best_cpu=$cpu; best_wall=$real
        fi
    done
    echo "$best_wall $best_cpu"
}
# besrig must not pick up a user's config; give it an empty HOME and cwd.
run_besrig() { (cd "$work" && HOME=$work XDG_CONFIG_HOME=$work/cfg BESRIG_CONFIG= "$besrig" triage --json "$big"); }
run_grep() { LC_ALL=C grep -E -c "$patterns" "$big" || true; }

matches=$(run_grep)
reports=$(run_besrig | grep -o '"reports": [0-9]*' | head -1 | cut -d' ' -f2) || true
[ -n "$reports" ] || { echo "triage_bench: $besrig triage --json $big printed no report count (see it run by hand)" >&2; exit 2; }
read -r grep_wall grep_cpu <<< "$(best_of_three run_grep)"
read -r besrig_wall besrig_cpu <<< "$(best_of_three run_besrig)"

awk -v b="$bytes" -v gw="$grep_wall" -v gc="$grep_cpu" -v tw="$besrig_wall" -v tc="$besrig_cpu" \
    -v m="$matches" -v r="$reports" -v s="$seed" -v c="$copies" 'BEGIN {
    mb = b / 1048576
    if (gc <= 0) gc = 0.001
    if (tc <= 0) tc = 0.001
    printf "input: %s x %d = %.1f MB\n", s, c, mb
    printf "%-26s %9s %11s %9s %11s\n", "", "cpu s", "MB/s (cpu)", "wall s", "MB/s (wall)"
    printf "%-26s %9.3f %11.1f %9.3f %11.1f   %d matching lines\n", "grep -E -c (LC_ALL=C)", gc, mb / gc, gw, mb / gw, m
    printf "%-26s %9.3f %11.1f %9.3f %11.1f   %d reports\n", "besrig triage --json", tc, mb / tc, tw, mb / tw, r
    printf "ratio besrig/grep: %.2f on cpu time, %.2f on wall time (goal <= 2.00)\n", tc / gc, tw / gw
}'
