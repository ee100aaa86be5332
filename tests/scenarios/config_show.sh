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

# The default data and config paths follow the XDG base directories, not HOME alone.
XDG_DATA_HOME="$work/xdg-data" XDG_CONFIG_HOME="$work/xdg-config" run_besrig config show --json
expect_status 0
python3 - "$work/out" "$work" <<'PY'
import json, sys
d, w = json.load(open(sys.argv[1])), sys.argv[2]
v = d["values"]
assert v["store"]["path"] == w + "/xdg-data/besrig/besrig.db", v["store"]
assert v["store"]["artifacts_dir"] == w + "/xdg-data/besrig/artifacts", v["store"]
assert v["driver"]["bundle_dir"] == w + "/xdg-data/besrig/bundle", v["driver"]
assert v["board"]["mgmt"]["known_hosts"] == w + "/xdg-config/besrig/known_hosts", v["board"]["mgmt"]
PY
