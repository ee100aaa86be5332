#!/bin/sh
# Builds the kernel-log fuzz target with clang and runs it for a bounded time.
#
#   fuzz/run.sh [SECONDS] [BUILD_DIR]      (default: 60 s, build-fuzz)
#
# Seeds: the kernel-log corpora (../shared/corpora/kernel-logs) plus a few
# /dev/kmsg-shaped records. New interesting inputs stay in BUILD_DIR/kmsg-corpus
# between runs; a crash leaves crash-* in BUILD_DIR and exits non-zero.
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
cmake --build "$build" -j2 --target kmsg_fuzz

corpus=$build/kmsg-corpus
mkdir -p "$corpus"
seeds=$here/../shared/corpora/kernel-logs
if [ -d "$seeds" ]; then
    find "$seeds" -type f | while read -r f; do
        # Seeds are cut to 16 KiB: libFuzzer mutates small inputs better.
        head -c 16384 "$f" > "$corpus/seed-$(basename "$f")"
    done
fi
printf '\001%s\n%s\n%s\n' '4,1,100,-;WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2 [bes2600]' ' SUBSYSTEM=x' \
    '4,5,200,-;Call Trace:\x0a f+0x1/0x2' > "$corpus/seed-kmsg"

cd "$build"
exec "$build/fuzz/kmsg_fuzz" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 "$corpus"
