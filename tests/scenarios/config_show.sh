# `config show` prints each value with its origin; precedence file < env < flag.
. "$(dirname "$0")/harness.sh"

mkdir -p config
cat > config/rig.json <<'JSON'
// the default location is ./config/rig.json
{ "board": { "kind": "real", "mgmt": { "host": "192.168.88.80", "port": 2200 } } }
JSON

run_besrig config show
expect_status 0
expect_out "# config file: config/rig.json"
grep -E '^board.mgmt.port +2200 +file config/rig.json$' "$work/out" >/dev/null || fail "port/origin row: $out"
grep -E '^board.mgmt.user +root +default$' "$work/out" >/dev/null || fail "default row: $out"

BESRIG_BOARD_MGMT_PORT=2201 run_besrig config show
grep -E '^board.mgmt.port +2201 +env BESRIG_BOARD_MGMT_PORT$' "$work/out" >/dev/null || fail "env row: $out"

BESRIG_BOARD_MGMT_PORT=2201 run_besrig --set board.mgmt.port=2202 config show --json
expect_status 0
python3 - "$work/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["values"]["board"]["mgmt"]["port"] == 2202, d["values"]["board"]["mgmt"]
assert d["origins"]["board.mgmt.port"] == "flag --set board.mgmt.port=2202", d["origins"]["board.mgmt.port"]
assert d["origins"]["board.mgmt.host"] == "file config/rig.json"
PY
