# `history --json` on a fresh machine: an empty list, and the store file created.
. "$(dirname "$0")/harness.sh"

run_besrig history --json
expect_status 0
[ "$out" = "[]" ] || fail "expected [], got: $out"
[ -f "$XDG_DATA_HOME/besrig/besrig.db" ] || fail "store not created at the default path"

run_besrig --store "$work/other.db" history
expect_status 0
expect_out "no runs in $work/other.db"
