# Fault item 12 (label faults): the board answers garbage where besrig
# parses its output. Wrappers earlier in the board's PATH (/usr/local/bin):
#   uname    prints control bytes and junk instead of a release;
#   iperf3   the real client, its JSON cut off after 400 bytes.
# Each time: an error naming the command and showing what came back
# (escaped), no crash, verdict INFRA_ERROR (the board misbehaved, not the
# patch), b running again after Phase 6's rollback, the store intact.
. "$(dirname "$0")/harness.sh"
IPERF_PORT=5315
. "$BESRIG_SRC/tests/scenarios/fault_deploy_lib.sh"

deploy_preamble b c-prep
on_board 'echo "$PATH"' | tr ':' '\n' | grep -qx /usr/local/bin || skip "/usr/local/bin is not on the board's PATH for ssh commands"
samples_before=$(q "SELECT count(*) FROM samples"); runs_before=$(q "SELECT count(*) FROM runs")
scenario_cleanup() { on_board 'rm -f /usr/local/bin/uname /usr/local/bin/iperf3'; }
crashed() { [ "$status" -lt 128 ] || fail "$1: besrig died of signal $((status - 128))"; ! grep -q "terminate called\|Segmentation\|Aborted" <<<"$err" || fail "$1: crash: $err"; }

# 1. uname answers junk.
on_board 'mkdir -p /usr/local/bin; cat > /usr/local/bin/uname; chmod 755 /usr/local/bin/uname' <<'SH'
#!/bin/sh
printf '\033[2J\001junk <%s>\n' "$*"
SH
on_board uname -r | grep -q junk || fail "the fake uname is not in effect"
b deploy --patch c-prep --load
crashed "deploy"
expect_status 2
expect_err "uname -r"
expect_err "junk"
expect_err "\\x1b"
b run phase6 --patch c-prep
crashed "phase6"
expect_status 2
expect_out "INFRA_ERROR"
expect_err "uname -r"
b status
crashed "status"
grep -qF "uname -r" <<<"$out$err" || fail "status does not name uname -r: $out $err"
on_board rm -f /usr/local/bin/uname

# 2. iperf3's JSON cut short, during Phase 6's smoke traffic (after the load).
on_board 'cat > /usr/local/bin/iperf3; chmod 755 /usr/local/bin/iperf3' <<'SH'
#!/bin/sh
# besrig fault test: the real iperf3, its output cut after 400 bytes.
case "$*" in *-c*) /usr/bin/iperf3 "$@" | head -c 400; exit 0 ;; *) exec /usr/bin/iperf3 "$@" ;; esac
SH
b run phase6 --patch c-prep
crashed "phase6 with truncated iperf3 output"
echo "$out" | tail -2 >&2
expect_status 2
expect_out "INFRA_ERROR"
expect_err "iperf3"
expect_err "rollback proven"
run6=$(q "SELECT max(id) FROM runs WHERE kind = 'phase6'")
[ "$(q "SELECT rollback_pending FROM runs WHERE id = $run6")" = 0 ] || fail "rollback not proven"
scenario_cleanup

[ "$(running_srcversion)" = "$src_b" ] || fail "b is not running at the end"
[ "$(q "SELECT count(*) FROM samples")" -ge "$samples_before" ] || fail "samples lost"
[ "$(q "SELECT count(*) FROM runs")" -gt "$runs_before" ] || fail "the runs were not recorded"
end_checks
