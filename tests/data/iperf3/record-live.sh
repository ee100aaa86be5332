#!/bin/sh
# Records the live-text fixtures with the iperf3 installed here (Debian's 3.12)
# on 127.0.0.1. Run from anywhere; writes next to this script.
set -eu
cd "$(dirname "$0")"
PORT=${PORT:-27311}
iperf3 --version | head -1 > live-version.txt

serve() {  # one JSON document per test into $1
    iperf3 -s -1 -B 127.0.0.1 -p "$PORT" -J > "$1" 2>&1 &
    SERVER=$!
    sleep 0.5
}
client() {  # name, args...
    name=$1; shift
    iperf3 -c 127.0.0.1 -p "$PORT" --forceflush "$@" > "live-$name.txt" 2> "live-$name.err" || true
    [ -s "live-$name.err" ] || rm -f "live-$name.err"
}

serve server-forward-4MBps.json; client forward-4MBps -t 3 -f k -b 32000000; wait $SERVER
serve /dev/null; client reverse-P2-omit1 -t 2 -O 1 -P 2 -R -f k -b 8000000; wait $SERVER
serve /dev/null; client forward-adaptive-units -t 2; wait $SERVER
serve /dev/null; client udp-20M -t 2 -u -b 20M; wait $SERVER
serve /dev/null; client bidir -t 2 --bidir -f k -b 8000000; wait $SERVER

# The server frozen mid-run in reverse mode: the data path stalls, every end alive.
serve /dev/null
( sleep 1.6; kill -STOP $SERVER; sleep 3; kill -CONT $SERVER; kill $SERVER ) &
client reverse-stalled -t 5 -R -f k -b 16000000 --rcv-timeout 2500
wait

# The server killed mid-run.
serve /dev/null
( sleep 1.6; kill -KILL $SERVER ) &
client server-killed -t 4 -f k -b 16000000
wait

# Nothing listening.
client connect-refused -t 1
