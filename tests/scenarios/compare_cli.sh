# `besrig compare` on a store filled with sqlite3: readable table and verdict,
# --json, exit codes, the one-run form finding the baseline, bad flags.
. "$(dirname "$0")/harness.sh"
command -v sqlite3 >/dev/null || skip "sqlite3 command-line tool not installed"

db="$work/besrig.db"
run_besrig --store "$db" history          # creates and migrates the store
expect_status 0

# run ID PATCH FACTOR IS_BASELINE: 3 reps x 2 steps, samples around 4 and 20 MB/s times FACTOR.
add_run() {
  local id=$1 patch=$2 factor=$3 base=$4
  {
    echo "INSERT INTO runs (id, kind, patch, rig, kernel_release, profile, status, is_baseline, started_at, host, pid)"
    echo "  VALUES ($id, 'phase7', '$patch', 'ohm', '6.1.0-test', 'demo', 'finished', $base, $id, 'h', 1);"
    for r in 1 2 3; do
      echo "INSERT INTO reps (id, run_id, idx, started_at, status) VALUES ($id$r, $id, $r, 0, 'finished');"
      s=0
      for spec in "rx-4M rx 4 4" "tx-max tx 0 20"; do
        set -- $spec
        echo "INSERT INTO steps (id, rep_id, idx, name, direction, rate_mbytes, streams, seconds, omit, started_at)"
        echo "  VALUES ($id$r$s, $id$r, $s, '$1', '$2', $3, 1, 20, 2, 0);"
        for t in 0 1 2 3 4 5 6 7 8 9; do
          omitted=0; [ "$t" -lt 2 ] && omitted=1
          echo "INSERT INTO samples VALUES ($id$r$s, $t, $4 * $factor * (1 + 0.002 * (($r + $t) % 3 - 1)), $omitted);"
        done
        s=$((s + 1))
      done
    done
  } | sqlite3 "$db"
}
add_run 1 b 1.0 1
add_run 2 c-prep 1.0 0
add_run 3 c-v2 1.7 0
add_run 4 c-slow 0.8 0
sqlite3 "$db" "INSERT INTO predictions (patch, metric, spec, created_at, hash) VALUES ('c-v2', 'throughput', '+50%..+90%', 0, 'h');"

run_besrig --store "$db" compare 1 2
expect_status 0
expect_out "verdict: EQUIVALENT"
expect_out "pooled"
expect_out "rx-4M"

run_besrig --store "$db" compare 3 --expect improve     # one run: its baseline is found
expect_status 0
expect_out "baseline run 1"
expect_out "verdict: IMPROVED"
expect_out "CONFIRMED"

run_besrig --store "$db" compare 1 4 --json
expect_status 1
echo "$out" | grep -q '"verdict": "REGRESSED"' || fail "JSON lacks the REGRESSED verdict: $out"

sqlite3 "$db" "INSERT INTO kernel_events (run_id, class, title, fingerprint, count, offset_s) VALUES (2, 'WARNING', 'in wsm_release_tx_buffer', 'fp1', 212, 13);"
run_besrig --store "$db" compare 1 2
expect_status 1
expect_out "verdict: FAIL"
expect_out "new kernel-log signature"

run_besrig --store "$db" compare 1 2 --expect sideways
expect_status 2
expect_err "--expect sideways: expected no-delta"

run_besrig --store "$db" compare 1 99
expect_status 2
expect_err "no run 99"

run_besrig --store "$db" compare 1 2 --margin 0
expect_status 2
expect_err "margin"
