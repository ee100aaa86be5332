# Fault item 11 (label faults): hostile patch names and config values —
# shell metacharacters, `..`, very long — are refused or passed quoted;
# nothing they carry is executed on the controller or the board (a marker
# file would show it), and the store stays intact.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/harness.sh"
IPERF_PORT=5314
. "$here/fault_deploy_lib.sh"

marker=/tmp/besrig-fault-hostile-$$
pwn="touch $marker"
scenario_cleanup() { rm -f "$marker"; on_board "rm -f '$marker'; rm -rf /lib/modules/*/extra/*touch*" 2>/dev/null; }
no_marker() {
  [ ! -e "$marker" ] || fail "$1: a hostile value ran a command on the controller"
  on_board test ! -e "$marker" || fail "$1: a hostile value ran a command on the board"
}

build_patches b
src_b=$(srcversion_of b)
b deploy --patch b --load
expect_status 0
sha_b=$(installed_sha256)

# Patch names: refused by every command that takes one, before anything runs.
long=$(printf 'p%.0s' $(seq 1 300))
for name in "x'; $pwn #" "\$($pwn)" "\`$pwn\`" "b;$pwn" "../../../tmp/x" ".." "a/../b" "$long" "b
$pwn"; do
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
b deploy "$work/b.ko" --patch "x'; $pwn #"
expect_status 0
[ "$(q "SELECT patch FROM runs WHERE kind = 'deploy' ORDER BY id DESC LIMIT 1")" = "x'; $pwn #" ] || fail "label not stored verbatim"
no_marker "deploy label"

# Config values: refused with the key named, or quoted on the board.
for kv in "module.name=bes2600;$pwn" "module.name=$long" "module.install_path=/lib/modules/{release}/../../tmp/{module}.ko" \
          "module.install_path=relative/{module}.ko" "board.data.interface=wlan0;$pwn" "rollback.patch=b;$pwn" \
          "board.mgmt.port=22;$pwn" "module.load_method=\$($pwn)" "module.unload_hang=\$($pwn)"; do
  key=${kv%%=*}
  b --set "$kv" status
  expect_status 2
  expect_err "$key"
  no_marker "--set $kv"
done
# Accepted, but every use is quoted: insmod gets the words as parameters
# (the kernel ignores unknown ones), the odd install path is a literal name.
b --set "module.params=\$($pwn) \`$pwn\`;$pwn" deploy --patch b --load
expect_status 0
no_marker "module.params"
b --set "module.install_path=/lib/modules/{release}/extra/{module}; $pwn '\".ko" deploy --patch b
expect_status 0
# (The value holds the marker's path, so its slashes make directories: look for the whole path.)
on_board "find /lib/modules/*/extra/ -type f" | grep -qF "/extra/bes2600; $pwn '\".ko" || fail "the odd install path was not used literally"
no_marker "module.install_path"
b --set "iperf3.board_binary=iperf3;$pwn" run phase6 --patch b
[ "$status" -ne 0 ] || fail "phase6 with a hostile iperf3.board_binary passed"
no_marker "iperf3.board_binary"
b --set "forensics.board_dir=/var/tmp/\$($pwn)" forensics
no_marker "forensics.board_dir"
on_board "rm -rf '/var/tmp/\$($pwn)'"

[ "$(installed_sha256)" = "$sha_b" ] || fail "the installed module changed"
[ "$(running_srcversion)" = "$src_b" ] || fail "b no longer runs"
end_checks
