# status / ssh accept-host-key / deploy against a real sshd standing in for
# the board: unknown host key refused with its fingerprint, accepted once,
# status reachable with identity facts, a verified deploy stored as a run,
# a tampered-looking second deploy while the board is locked refused.
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/local_sshd.sh"

run_besrig status
expect_status 2
expect_out "reachable  no"
expect_out "$sshd_fingerprint"
expect_out "besrig ssh accept-host-key"

run_besrig ssh accept-host-key
expect_status 0
expect_out "recorded [127.0.0.1]:$sshd_port ssh-ed25519 $sshd_fingerprint"
run_besrig ssh accept-host-key
expect_status 0
expect_out "already trusted"

run_besrig status --json
expect_status 0
python3 - "$work/out" <<'PY' || fail "status --json: $out"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["reachable"] is True, s
assert s["kernel_release"], s
assert s["module"]["running"]["loaded"] is False, s
assert s["module"]["installed"]["present"] is False, s
assert s["data_link"]["exists"] is True and "127.0.0.1/8" in s["data_link"]["ipv4"], s
PY

# A module-shaped file for this kernel.
release=$(uname -r)
printf '\177ELF\0srcversion=ABCDEF0123456789ABCDEF0\0vermagic=%s SMP\0' "$release" > "$work/m.ko"
head -c 200000 /dev/urandom >> "$work/m.ko"
run_besrig deploy "$work/m.ko" --patch "x'; touch $work/pwned #"
expect_status 0
expect_out "verified on the board"
target="$sshd_dir/lib/modules/$release/extra/besrig_test_mod.ko"
cmp "$work/m.ko" "$target" || fail "installed file differs"
[ ! -e "$work/pwned" ] || fail "a hostile patch label was executed"

run_besrig history --json
expect_status 0
python3 - "$work/out" <<'PY' || fail "history: $out"
import json, sys
runs = json.load(open(sys.argv[1]))
assert runs[0]["kind"] == "deploy" and runs[0]["verdict"] == "INSTALLED", runs
PY

# Another besrig holding the controller lock: refused, naming the holder.
mkdir -p "$XDG_STATE_HOME/besrig"
lock="$XDG_STATE_HOME/besrig/board-local.lock"
echo "host=x pid=1 command=besrig run phase7" > "$lock"
exec 9>>"$lock"
flock 9  # this shell holds the lock (besrig opens its own descriptor, so it conflicts)
run_besrig deploy "$work/m.ko"
exec 9>&-
expect_status 2
expect_err "in use by another besrig"
