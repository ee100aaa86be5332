# The HTML report in a real browser: headless Chromium loads the self-contained
# page (any network fetch is blocked and would show up as a console error),
# renders it without console errors, and the charts carry the expected number
# of data series in the live DOM. Also screenshots it (kept when
# BESRIG_KEEP_SCREENSHOT names a path, e.g. docs/report-screenshot.png).
fixture_tool=${BESRIG_MAKE_FIXTURE:-}
keep_screenshot=${BESRIG_KEEP_SCREENSHOT:-}
. "$(dirname "$0")/harness.sh"

browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || skip "chromium is not installed (apt-get install chromium; scripts/packages/reports.txt)"
[ -x "$fixture_tool" ] || skip "BESRIG_MAKE_FIXTURE does not point at besrig_make_fixture"
command -v python3 >/dev/null || skip "python3 is needed to read the DOM"

ids=$("$fixture_tool" "$work/store.db" --nights 14) || fail "fixture store: $ids"
id_of() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$ids" "$1"; }

run_besrig --store "$work/store.db" report "$(id_of c_prep)" --format html -o "$work/c-prep.html"
expect_status 0
run_besrig --store "$work/store.db" report "$(id_of c)" --format html -o "$work/c.html"
expect_status 0
run_besrig --store "$work/store.db" report --nightly --format html -o "$work/nightly.html"
expect_status 1   # the fixture's c-v2 moved down on the last night

# browse FILE OUT.dom LOG [extra chromium args]
browse() {
  local page=$1 dom=$2 log=$3
  shift 3
  set +e
  timeout 180 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="MAP * ~NOTFOUND" --proxy-server="127.0.0.1:9" \
    --user-data-dir="$(mktemp -d "$work/profile.XXXXXX")" --enable-logging=stderr --v=0 \
    "$@" "file://$page" >"$dom" 2>"$log"
  local rc=$?
  set -e
  [ $rc -eq 0 ] || fail "chromium exited $rc on $page: $(tail -5 "$log")"
}

# count_series DOM CHART: data-series elements inside <svg data-chart=CHART>.
count_series() {
  python3 - "$1" "$2" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self, chart):
        super().__init__(); self.chart = chart; self.depth = 0; self.n = 0; self.charts = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and a.get("data-chart") == self.chart:
            self.depth = 1; self.charts += 1
        elif self.depth:
            if tag == "svg": self.depth += 1
            if "data-series" in a: self.n += 1
    def handle_endtag(self, tag):
        if self.depth and tag == "svg": self.depth -= 1
p = P(sys.argv[2]); p.feed(open(sys.argv[1], encoding="utf-8").read())
print(p.n if p.charts else -1)
PY
}

console_errors() { grep -E "CONSOLE|Uncaught|Failed to load resource|net::ERR" "$1" || true; }

browse "$work/c-prep.html" "$work/c-prep.dom" "$work/c-prep.log" --dump-dom
[ -z "$(console_errors "$work/c-prep.log")" ] || fail "console errors: $(console_errors "$work/c-prep.log")"
grep -q '</html>' "$work/c-prep.dom" || fail "no DOM dumped for c-prep.html"
[ "$(count_series "$work/c-prep.dom" throughput)" = 3 ] || fail "throughput chart: expected 3 series (reps), got $(count_series "$work/c-prep.dom" throughput)"
[ "$(count_series "$work/c-prep.dom" steps)" = 2 ] || fail "steps chart: expected 2 series (baseline, patch)"

browse "$work/c.html" "$work/c.dom" "$work/c.log" --dump-dom
[ -z "$(console_errors "$work/c.log")" ] || fail "console errors: $(console_errors "$work/c.log")"
[ "$(count_series "$work/c.dom" throughput)" = 1 ] || fail "wedged run: expected 1 rep series"
[ "$(count_series "$work/c.dom" timeline)" = 1 ] || fail "wedged run: expected 1 timeline lane"
grep -q 'WARN storm at +13 s: 212 × WARNING in wsm_release_tx_buffer' "$work/c.dom" || fail "storm line missing in the DOM"

browse "$work/nightly.html" "$work/nightly.dom" "$work/nightly.log" --dump-dom
[ -z "$(console_errors "$work/nightly.log")" ] || fail "console errors: $(console_errors "$work/nightly.log")"
for p in c-prep c-v2; do
  [ "$(count_series "$work/nightly.dom" "trend-$p")" = 1 ] || fail "nightly: expected one trend series for $p"
done

browse "$work/c-prep.html" /dev/null "$work/shot.log" --screenshot="$work/shot.png" --window-size=1280,2000 --hide-scrollbars
[ -s "$work/shot.png" ] || fail "no screenshot written: $(tail -3 "$work/shot.log")"
[ "$(head -c 8 "$work/shot.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "screenshot is not a PNG"
[ "$(stat -c %s "$work/shot.png")" -gt 20000 ] || fail "screenshot suspiciously small (blank page?)"
if [ -n "$keep_screenshot" ]; then cp "$work/shot.png" "$keep_screenshot"; echo "kept screenshot at $keep_screenshot"; fi
echo "chromium rendered 3 reports without console errors; series counts as expected"
