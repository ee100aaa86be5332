#!/bin/sh
# Builds the fuzz targets with clang and runs each for a share of a bounded time.
#
#   fuzz/run.sh [SECONDS] [BUILD_DIR]      (default: 60 s in all, build-fuzz)
#
# Targets and their share of SECONDS: kmsg_fuzz (kernel-log reader and
# classifier) 1/2, iperf3_fuzz (iperf3 -J, text and --json-stream parsers)
# 1/4, config_fuzz (config merge and typed reader) 1/4.
# Seeds: the kernel-log and iperf3 corpora (../shared/corpora), tests/data/iperf3,
# config/rig.json and config/examples. New interesting inputs stay in
# BUILD_DIR/<target>-corpus between runs; a crash leaves crash-* in BUILD_DIR
# and exits non-zero (the other targets still run first).
# Exits 77 (skipped) when clang or libFuzzer is not available.
set -eu

seconds=${1:-60}
here=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$here/build-fuzz}

if ! command -v clang++ > /dev/null 2>&1; then
    echo "fuzz/run.sh: clang++ not installed: skipped (apt-get install clang)" >&2
    exit 77
fi
if ! printf 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }\n' |
        clang++ -x c++ -fsanitize=fuzzer - -o /dev/null > /dev/null 2>&1; then
    echo "fuzz/run.sh: clang++ has no libFuzzer runtime: skipped" >&2
    exit 77
fi

CC=clang CXX=clang++ cmake -S "$here" -B "$build" -DBESRIG_FUZZ=ON -DBESRIG_BUILD_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" -j2 --target kmsg_fuzz iperf3_fuzz config_fuzz

corpora=$here/../shared/corpora
# seed DIR FILE PREFIX: the file, cut to 16 KiB (libFuzzer mutates small
# inputs better), with PREFIX (the target's selector byte) in front.
seed() {
    { printf "$3"; head -c 16384 "$2"; } > "$1/seed-$(basename "$2")-$(printf '%s' "$3" | od -An -tx1 | tr -d ' ')"
}

mkdir -p "$build/kmsg-corpus" "$build/iperf3-corpus" "$build/config-corpus"
if [ -d "$corpora/kernel-logs" ]; then
    find "$corpora/kernel-logs" -type f | while read -r f; do seed "$build/kmsg-corpus" "$f" '\001'; done
fi
printf '\001%s\n%s\n%s\n' '4,1,100,-;WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2 [bes2600]' ' SUBSYSTEM=x' \
    '4,5,200,-;Call Trace:\x0a f+0x1/0x2' > "$build/kmsg-corpus/seed-kmsg"
for f in "$corpora"/iperf3/*.json "$here"/tests/data/iperf3/*; do
    [ -f "$f" ] || continue
    case $f in
        *.jsonl) seed "$build/iperf3-corpus" "$f" '\002' ;;
        *.json) seed "$build/iperf3-corpus" "$f" '\000' ;;
        *) seed "$build/iperf3-corpus" "$f" '\001' ;;
    esac
done
for f in "$here"/config/rig.json "$here"/config/examples/*.json; do
    seed "$build/config-corpus" "$f" '\000'
done
printf '\001%s\n%s\n' 'board.mgmt.port=2222' 'kernel_log.storm.count=3' > "$build/config-corpus/seed-sets"

status=0
run() {  # run TARGET SECONDS
    echo "fuzz/run.sh: $1 for $2 s"
    (cd "$build" && "$build/fuzz/$1" -max_total_time="$2" -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
        -print_final_stats=1 "$build/${1%_fuzz}-corpus") || status=$?
}
quarter=$((seconds / 4))
[ "$quarter" -ge 1 ] || quarter=1
run kmsg_fuzz $((seconds - 2 * quarter))
run iperf3_fuzz "$quarter"
run config_fuzz "$quarter"
exit "$status"
