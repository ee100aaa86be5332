# Fault item 9 (label faults): the upload is corrupted between upload and
# verify. A `sha256sum` earlier in the board's PATH first flips one byte of
# any *.besrig-upload file it is asked about, then runs the real one: the
# file on the board really differs from the build. Deploy and Phase 6 refuse
# to install it, remove it, and leave b installed and running. A sha256sum
# that answers garbage is named as such (not as a corrupted upload).
. "$(dirname "$0")/harness.sh"
IPERF_PORT=5312
. "$BESRIG_SRC/tests/scenarios/fault_deploy_lib.sh"

deploy_preamble b c-prep
on_board 'echo "$PATH"' | tr ':' '\n' | grep -qx /usr/local/bin || skip "/usr/local/bin is not on the board's PATH for ssh commands"

scenario_cleanup() { on_board 'rm -f /usr/local/bin/sha256sum'; }
on_board 'mkdir -p /usr/local/bin; cat > /usr/local/bin/sha256sum; chmod 755 /usr/local/bin/sha256sum' <<'SH'
#!/bin/sh
# besrig fault test: corrupt an upload in flight, then hash it honestly.
for f in "$@"; do
  case "$f" in *.besrig-upload) printf 'Z' | dd of="$f" bs=1 seek=4096 conv=notrunc 2>/dev/null ;; esac
done
exec /usr/bin/sha256sum "$@"
SH
still_b() {
  b_intact "$1"
  [ -z "$(on_board "ls -a $(extra_dir)" | grep -F besrig-upload)" ] || fail "$1: corrupted upload left on the board"
}

b deploy --patch c-prep --load
expect_status 2
expect_err "upload corrupted in flight"
expect_err "temporary file removed"
expect_err "intact"
still_b "deploy"
b run phase6 --patch c-prep
expect_status 2
expect_out "INFRA_ERROR"
expect_err "upload corrupted in flight"
still_b "phase6"

# A sha256sum that answers garbage: named, with what it said.
on_board 'printf "#!/bin/sh\necho \"sha256sum: \\033[31mgarbage\"\n" > /usr/local/bin/sha256sum'
b deploy --patch c-prep
expect_status 2
expect_err "sha256sum"
expect_err "unexpected reply"
expect_err "garbage"
b status --json
expect_status 0
grep -qF "sha256sum" "$work/out" || fail "status does not name the broken sha256sum: $out"
scenario_cleanup
still_b "garbage sha256sum"

b deploy --patch c-prep --load
expect_status 0
expect_out "srcversion $(srcversion_of c-prep) = this build"
b deploy --patch b --load
expect_status 0
end_checks
