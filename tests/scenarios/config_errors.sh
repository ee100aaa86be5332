# Bad configs are refused with the file, the key path, expected and found.
. "$(dirname "$0")/harness.sh"

printf '{ "board": { "mgmt": { "port": "22a" } } }\n' > bad.json
run_besrig --config bad.json config show
expect_status 2
expect_err 'besrig: error: bad.json: board.mgmt.port: expected an integer 1..65535, got "22a"'

run_besrig config check bad.json
expect_status 2
expect_err 'bad.json: board.mgmt.port'

run_besrig config check "$BESRIG_SRC/config/examples/ohm.json"
expect_status 0
expect_out "ohm.json: ok"

run_besrig --config missing.json config show
expect_status 2
expect_err "missing.json"
