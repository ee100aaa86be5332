# `besrig iperf3 parse` on real iperf3 output (the shared corpus and the
# recorded 3.12 text), and the errors it gives for broken files.
. "$(dirname "$0")/harness.sh"
corpus="$BESRIG_SRC/../shared/corpora/iperf3"
data="$BESRIG_SRC/tests/data/iperf3"
[ -d "$corpus" ] || skip "no shared corpus at $corpus"

run_besrig iperf3 parse "$corpus/iperf-3.12-tcp-P4-omit1-client.json"
expect_status 0
expect_out "iperf3: iperf 3.12"
expect_out "test: TCP, 4 stream(s), 3 s, omit 1 s"
expect_out "0.00-1.00     client->server  1573.397  1575485440  0     omitted"
expect_out "total client->server: sent 1964.151 MB/s (5892997120 bytes, 0 retransmits) received 1963.937 MB/s (5895225450 bytes)"

run_besrig iperf3 parse "$corpus/iperf-3.12-connect-refused-client.json"
expect_status 0
expect_out "iperf3 error: unable to connect to server: Connection refused"

run_besrig --json iperf3 parse "$data/live-reverse-P2-omit1.txt"
expect_status 0
python3 - "$work/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["params"]["num_streams"] == 2 and d["params"]["reverse"], d["params"]
assert [s["omitted"] for s in d["samples"]] == [True, False, False], d["samples"]
assert d["samples"][1]["bits_per_second"] == 16776000, d["samples"][1]
assert d["samples"][1]["flow"] == "server->client"
PY

head -c 1500 "$corpus/iperf-3.12-tcp-forward-client.json" > cut.json
run_besrig iperf3 parse cut.json
expect_status 2
expect_err "besrig: error: cut.json: line"
expect_err "truncated JSON"

printf 'hello\nworld\n' > junk.txt
run_besrig iperf3 parse junk.txt
expect_status 2
expect_err "junk.txt: no iperf3 interval, summary or error found"

: > empty.json
run_besrig iperf3 parse --format json empty.json
expect_status 2
expect_err "empty.json: line 1: empty: no iperf3 output at all"
