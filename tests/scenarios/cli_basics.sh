# --help, --version and usage errors with their exit codes.
. "$(dirname "$0")/harness.sh"

run_besrig --help
expect_status 0
expect_out "bes2600"
expect_out "history"

run_besrig --version
expect_status 0
expect_out "besrig "

run_besrig
expect_status 2
expect_err "besrig: error:"

run_besrig frobnicate
expect_status 2
expect_err "besrig: error:"

run_besrig history --since yesterday
expect_status 2
expect_err "besrig: error: --since yesterday: expected a date"
