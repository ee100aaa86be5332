#!/usr/bin/env bash
# The README's test command: install what is missing, build with -Werror,
# run the whole suite (unit, scenario and end-to-end tests on the simulated board),
# then the sanitizer pass: the unit tests again in build-asan (ASan + UBSan,
# -fno-sanitize-recover) and the libFuzzer target for a bounded time
# (fuzz/run.sh, build-fuzz; skipped loudly when clang/libFuzzer is missing).
# Pass ctest arguments through, e.g. `scripts/test.sh -L unit` for the quick run.
#   BESRIG_SKIP_SANITIZERS=1   skip the sanitizer pass
#   BESRIG_FUZZ_SECONDS=N      fuzzing time (default 60)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/setup.sh
scripts/build.sh
(cd build && ctest --output-on-failure --timeout 1500 "$@")

[ -n "${BESRIG_SKIP_SANITIZERS:-}" ] && exit 0
echo "test.sh: unit tests under ASan + UBSan (build-asan)"
BESRIG_SANITIZE=1 BESRIG_BUILD_DIR=build-asan BESRIG_BUILD_TARGETS=besrig_unit_tests scripts/build.sh
(cd build-asan &&
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest -L unit --output-on-failure --timeout 600 -j "$(nproc)")
echo "test.sh: fuzzing the kernel-log reader for ${BESRIG_FUZZ_SECONDS:-60} s (build-fuzz)"
status=0
fuzz/run.sh "${BESRIG_FUZZ_SECONDS:-60}" "$top/build-fuzz" || status=$?
if [ "$status" -eq 77 ]; then
  echo "test.sh: fuzzing SKIPPED (no clang/libFuzzer; apt-get install clang libclang-rt-14-dev)" >&2
elif [ "$status" -ne 0 ]; then
  echo "test.sh: fuzzing found a crash (see build-fuzz/crash-*)" >&2
  exit "$status"
fi
