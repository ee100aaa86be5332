# `besrig run phase5` records a prediction and prints the review packet;
# `besrig review` records the decision; once Phase 7 froze the prediction,
# changing it is refused (exit 2) and the refusal is logged.
. "$(dirname "$0")/harness.sh"
command -v sqlite3 >/dev/null || skip "sqlite3 command-line tool not installed"
db="$work/besrig.db"

run_besrig --store "$db" run phase5 --patch c-prep --predict 'throughput=0%±3%' --predict splats=0
expect_status 0
expect_out "# Review packet: patch c-prep"
expect_out "| throughput | -3 %..+3 % |"
expect_out "Receipts Phase 7 will demand"

run_besrig --store "$db" run phase5 --patch c-prep --predict 'throughput=fast'
expect_status 2
expect_err "not a number"

run_besrig --store "$db" review approve --patch c-prep --note "refactor only"
expect_status 0
expect_out "review of patch c-prep: approve"

# Phase 7 of c-prep starts: it freezes the prediction.
sqlite3 "$db" "UPDATE predictions SET frozen_at = 1 WHERE patch = 'c-prep' AND superseded = 0;"
run_besrig --store "$db" run phase5 --patch c-prep --predict 'throughput=-10%..+10%'
expect_status 2
expect_err "frozen"
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM run_log WHERE message LIKE 'refused%'")" = 1 ] || fail "refusal not logged"
[ "$(sqlite3 "$db" "SELECT spec FROM predictions WHERE patch = 'c-prep' AND superseded = 0 AND metric = 'throughput'")" = "0%±3%" ] \
  || fail "the frozen prediction changed"
