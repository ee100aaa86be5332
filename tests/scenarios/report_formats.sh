# `besrig report` and `besrig show` on a fixture store through the real binary:
# every format is written, the JSON carries the documented keys, the JUnit
# parses as XML with the failed rep as a <failure>, the nightly exits 1 when a
# patch moved down, and bad input gets a clear error with exit 2.
fixture_tool=${BESRIG_MAKE_FIXTURE:-}
. "$(dirname "$0")/harness.sh"
[ -x "$fixture_tool" ] || skip "BESRIG_MAKE_FIXTURE does not point at besrig_make_fixture"
command -v python3 >/dev/null || skip "python3 is needed to parse JSON and XML"

ids=$("$fixture_tool" "$work/store.db" --nights 14) || fail "fixture store: $ids"
id_of() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$ids" "$1"; }
c=$(id_of c)
prep=$(id_of c_prep)

run_besrig --store "$work/store.db" report "$c"
expect_status 0
expect_out "## Phase 7 — patch c: **WEDGED** (exit 1)"
expect_out "WARN storm at +13 s: 212 × WARNING in wsm_release_tx_buffer [bes2600]"
expect_out "besrig run phase7 --patch c"

run_besrig --store "$work/store.db" report "$prep" --format json -o "$work/prep.json"
expect_status 0
expect_err "wrote $work/prep.json"
python3 - "$work/prep.json" "$BESRIG_SRC/docs/report-json.md" <<'PY' || fail "JSON report does not match docs/report-json.md"
import json, re, sys
report = json.load(open(sys.argv[1]))
doc = open(sys.argv[2]).read()
# Every top-level key the document lists under "Top-level keys" is present, and no other.
section = doc.split("## Top-level keys", 1)[1].split("\n## ", 1)[0]
documented = set(re.findall(r"^- `([a-z_]+)`", section, re.M))
assert documented == set(report), (sorted(documented ^ set(report)))
assert report["schema"] == "besrig.report/1"
assert report["comparison"]["decision"] == "EQUIVALENT"
assert len(report["reps"]) == 3 and all(len(r["steps"]) == 4 for r in report["reps"])
PY

run_besrig --store "$work/store.db" report "$c" --format junit -o "$work/c.xml"
expect_status 0
python3 - "$work/c.xml" <<'PY' || fail "JUnit report is not the expected XML"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = root.findall("testsuite")
assert len(suites) == 1, suites
cases = suites[0].findall("testcase")
names = [c.get("name") for c in cases]
assert "verdict" in names and "rep 1" in names and "rx-4M" in names, names
rep1 = next(c for c in cases if c.get("name") == "rep 1")
failure = rep1.find("failure")
assert failure is not None and "WARN storm at +13 s" in failure.text, ET.tostring(rep1)
assert int(suites[0].get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
PY

run_besrig --store "$work/store.db" show latest
expect_status 0
expect_out "full report: besrig report"

run_besrig --store "$work/store.db" report --nightly
expect_status 1
expect_out "| c-v2 |"
expect_out "**moved down**"
expect_out "WARNING in wsm_handle_rx [bes2600]"

run_besrig --store "$work/store.db" report 99999
expect_status 2
expect_err "no run 99999 in $work/store.db"
run_besrig --store "$work/store.db" report abc
expect_status 2
expect_err "expected a run id"
run_besrig --store "$work/store.db" report "$c" --format pdf
expect_status 2
run_besrig --store "$work/store.db" report
expect_status 2
expect_err "which run?"
