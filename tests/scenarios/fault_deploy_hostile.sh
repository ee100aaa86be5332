# Fault item 11 (label faults): hostile patch names and config values —
# shell metacharacters, `..`, very long — are refused or passed quoted;
# nothing they carry is executed on the controller or the board (a marker
# file would show it: each value touches one of its own, $marker.TAG, looked
# for on the controller after each step and on the board once at the end),
# and the store stays intact.
. "$(dirname "$0")/harness.sh"
IPERF_PORT=5314
. "$BESRIG_SRC/tests/scenarios/fault_deploy_lib.sh"

marker=/tmp/besrig-fault-hostile-$$
p() { echo "touch $marker.$1"; }  # the command a hostile value carries: touch marker TAG
scenario_cleanup() { rm -f "$marker".*; on_board "rm -f $marker.*; rm -rf /lib/modules/*/extra/*touch*" 2>/dev/null; }
no_marker() {
  local m
  m=$(ls -d "$marker".* 2>/dev/null || true)
  [ -z "$m" ] || fail "$1: a hostile value ran a command on the controller ($m)"
}
no_marker_on_board() {
  local m
  m=$(on_board "for f in $marker.*; do [ -e \"\$f\" ] && echo \"\$f\"; done; true") || fail "cannot look for marker files on the board"
  [ -z "$m" ] || fail "a hostile value ran a command on the board: $m (the suffix is the value's tag in $scenario.sh)"
}

deploy_preamble b

# Patch names: refused by every command that takes one, before anything runs.
long=$(printf 'p%.0s' $(seq 1 300))
names=("x'; $(p name1) #" "\$($(p name2))" "\`$(p name3)\`" "b;$(p name4)" "../../../tmp/x" ".." "a/../b" "$long" "b
$(p name5)")
for name in "${names[@]}"; do
  for cmd in "build" "deploy" "run phase6" "run phase7 --no-prediction"; do
    # shellcheck disable=SC2086
    b $cmd --patch "$name"
    expect_status 2
    expect_err "patch name"
    [ "${#err}" -lt 2000 ] || fail "$cmd: the refusal of a ${#name}-character name is ${#err} characters long"
  done
  b bundle add --patch "$name" "$work/nonexistent.ko"
  expect_status 2
  no_marker "patch name $name"
done

# A file deployed under a hostile label: the label is only stored, verbatim.
cp "$(q "SELECT path FROM builds WHERE patch = 'b'")" "$work/b.ko"
pwn=$(p label)
b deploy "$work/b.ko" --patch "x'; $pwn #"
expect_status 0
[ "$(q "SELECT patch FROM runs WHERE kind = 'deploy' ORDER BY id DESC LIMIT 1")" = "x'; $pwn #" ] || fail "label not stored verbatim"
no_marker "deploy label"

# Config values: refused with the key named, or quoted on the board.
for kv in "module.name=bes2600;$(p key1)" "module.name=$long" "module.install_path=/lib/modules/{release}/../../tmp/{module}.ko" \
          "module.install_path=relative/{module}.ko" "board.data.interface=wlan0;$(p key2)" "rollback.patch=b;$(p key3)" \
          "board.mgmt.port=22;$(p key4)" "module.load_method=\$($(p key5))" "module.unload_hang=\$($(p key6))"; do
  key=${kv%%=*}
  b --set "$kv" status
  expect_status 2
  expect_err "$key"
  no_marker "--set $kv"
done
# Accepted, but every use is quoted: insmod gets the words as parameters
# (the kernel ignores unknown ones), the odd install path is a literal name.
pwn=$(p params)
b --set "module.params=\$($pwn) \`$pwn\`;$pwn" deploy --patch b --load
expect_status 0
no_marker "module.params"
pwn=$(p path)
b --set "module.install_path=/lib/modules/{release}/extra/{module}; $pwn '\".ko" deploy --patch b
expect_status 0
# (The value holds the marker's path, so its slashes make directories: look for the whole path.)
on_board "find /lib/modules/*/extra/ -type f" | grep -qF "/extra/bes2600; $pwn '\".ko" || fail "the odd install path was not used literally"
no_marker "module.install_path"
pwn=$(p iperf3)
b --set "iperf3.board_binary=iperf3;$pwn" run phase6 --patch b
[ "$status" -ne 0 ] || fail "phase6 with a hostile iperf3.board_binary passed"
no_marker "iperf3.board_binary"
pwn=$(p forensics)
b --set "forensics.board_dir=/var/tmp/\$($pwn)" forensics
no_marker "forensics.board_dir"
on_board "rm -rf '/var/tmp/\$($pwn)'"
no_marker_on_board

b_intact "at the end"
end_checks
