# End to end on a simulated board (ctest label e2e): two builds of the
# stand-in module deployed, loaded and proven by srcversion; an installed-but-
# not-running build shown as DIFFER by status; a changed host key refused;
# a hostile patch label harmless. Needs a booted board: BESRIG_SHARED_BOARD
# names its state directory — under ctest the fault_deploy_board fixture's
# sim dir (its board is <dir>/ohm), by hand a `sim/scripts/dev-board.sh up DIR`
# state dir; skipped only when no board could be booted (no QEMU). The
# board's module state is restored at the end.
. "$(dirname "$0")/harness.sh"
. "$BESRIG_SRC/tests/scenarios/board_lib.sh"  # shared_build_file
board=${BESRIG_SHARED_BOARD:-}
[ -n "$board" ] && [ -f "$board/ohm/known_hosts" ] && board="$board/ohm"
[ -n "$board" ] && [ -f "$board/known_hosts" ] || skip "no simulated board (set BESRIG_SHARED_BOARD to a dev-board.sh state dir; under ctest the fault_deploy_board fixture boots one when QEMU runs)"
port=$(cat "$board/ssh_port" 2>/dev/null || sed -n 's/^\[127\.0\.0\.1\]:\([0-9]*\) .*/\1/p' "$board/known_hosts" | head -1)
cat > "$work/rig.json" <<JSON
{
  "board": { "name": "e2e", "kind": "real",
    "mgmt": { "host": "127.0.0.1", "port": $port, "user": "root",
              "identity_file": "$board/id_ed25519", "known_hosts": "$work/known_hosts" },
    "data": { "interface": "wlan0" } },
  "module": { "name": "bes2600", "params": "lower=wphy0" },
  "timeouts": { "connect_s": 20, "command_s": 60, "load_s": 60, "keepalive_s": 2 }
}
JSON
export BESRIG_CONFIG="$work/rig.json"
cp "$board/known_hosts" "$work/known_hosts"

run_besrig status --json
[ "$status" -eq 0 ] || skip "the board does not answer: $out $err"
release=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["kernel_release"])' "$work/out")
[ -d "/lib/modules/$release/build" ] || skip "no kernel headers for the board's $release on this host"
before_sha=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["module"]["installed"]; print(m["sha256"] if m["present"] else "")' "$work/out")

# Two builds that differ in srcversion: the ctest fixture module_builds' b and
# c-prep (built once per ctest run) when they are for the board's kernel,
# else two builds of the stand-in made here that differ in one line.
shared_b1=$(shared_build_file b); shared_b2=$(shared_build_file c-prep)
if [ -n "$shared_b1" ] && [ -n "$shared_b2" ] && modinfo -F vermagic "$shared_b1" | grep -q "^$release "; then
  cp "$shared_b1" "$work/b1.ko"
  cp "$shared_b2" "$work/b2.ko"
else
  cp -r "$BESRIG_SRC/driver/sim" "$work/mod"
  make -s -C "/lib/modules/$release/build" M="$work/mod" modules >/dev/null 2>&1 || skip "cannot build the stand-in module"
  cp "$work/mod/bes2600.ko" "$work/b1.ko"
  echo 'static int besrig_e2e_variant __attribute__((used)) = 2;' >> "$work/mod/main.c"
  make -s -C "/lib/modules/$release/build" M="$work/mod" modules >/dev/null 2>&1 || fail "second build failed"
  cp "$work/mod/bes2600.ko" "$work/b2.ko"
fi
src1=$(modinfo -F srcversion "$work/b1.ko"); src2=$(modinfo -F srcversion "$work/b2.ko")
[ -n "$src1" ] && [ "$src1" != "$src2" ] || fail "the two builds do not differ in srcversion ($src1, $src2)"


run_besrig deploy "$work/b1.ko" --load --patch "x'; touch /tmp/besrig-e2e-pwned #"
expect_status 0
expect_out "srcversion $src1 = this build"
run_besrig deploy "$work/b2.ko" --load --patch c
expect_status 0
expect_out "srcversion $src2 = this build"
expect_out "previous  kept at"

# Installed b1, running b2: different facts.
run_besrig deploy "$work/b1.ko"
expect_status 0
run_besrig status --json
expect_status 0
python3 - "$work/out" "$src1" "$src2" <<'PY' || fail "status after install-without-load: $out"
import json, sys
s = json.load(open(sys.argv[1]))
m = s["module"]
assert m["installed"]["srcversion"] == sys.argv[2], m
assert m["running"]["srcversion"] == sys.argv[3], m
assert m["identity"] == "DIFFER" and m["differ"] is True, m
PY
[ ! -e /tmp/besrig-e2e-pwned ] || fail "a hostile patch label was executed"

# A changed host key: refused, naming the fingerprint it saw.
ssh-keygen -q -t ed25519 -N '' -f "$work/impostor"
echo "[127.0.0.1]:$port $(cut -d' ' -f1-2 "$work/impostor.pub")" > "$work/known_hosts"
run_besrig status
expect_status 2
expect_out "HOST KEY CHANGED"
cp "$board/known_hosts" "$work/known_hosts"

# Leave the board consistent: b1 installed and running; nothing of ours if
# nothing was installed before.
run_besrig deploy "$work/b1.ko" --load
expect_status 0
if [ -z "$before_sha" ]; then
  target="/lib/modules/$release/extra/bes2600.ko"
  ssh -q -i "$board/id_ed25519" -o UserKnownHostsFile="$board/known_hosts" -o BatchMode=yes -p "$port" root@127.0.0.1 \
    "rmmod bes2600; rm -f '$target' '$target.prev'" || true
fi
