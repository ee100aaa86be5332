#!/usr/bin/env bash
# The README's test command: install what is missing, build with -Werror,
# run the whole suite (unit, scenario and end-to-end tests on the simulated board),
# then the sanitizer pass: the unit tests again in build-asan (ASan + UBSan,
# -fno-sanitize-recover) and the libFuzzer targets for a bounded time
# (fuzz/run.sh, build-fuzz; skipped loudly when clang/libFuzzer is missing).
# Pass ctest arguments through, e.g. `scripts/test.sh -L unit` for the quick run.
#   BESRIG_SANITIZERS=0|1      run the sanitizer pass (default: SANITIZERS_DEFAULT below)
#   BESRIG_FUZZ_SECONDS=N      fuzzing time (default 60)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/setup.sh
scripts/build.sh
(cd build && ctest --output-on-failure --timeout 1500 "$@")

# Off by default until the ASan/UBSan unit pass has been seen green on a whole
# run (the session that added it could not finish one); flip to 1 then.
SANITIZERS_DEFAULT=0
if [ "${BESRIG_SANITIZERS:-$SANITIZERS_DEFAULT}" != 1 ]; then
  echo "test.sh: sanitizer pass NOT RUN (BESRIG_SANITIZERS=1 runs ASan+UBSan unit tests and the fuzzer)" >&2
  exit 0
fi
echo "test.sh: unit tests under ASan + UBSan (build-asan)"
BESRIG_SANITIZE=1 BESRIG_BUILD_DIR=build-asan BESRIG_BUILD_TARGETS=besrig_unit_tests scripts/build.sh
(cd build-asan &&
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest -L unit --output-on-failure --timeout 600 -j "$(nproc)")
echo "test.sh: fuzzing the kernel-log reader, iperf3 parsers and config reader for ${BESRIG_FUZZ_SECONDS:-60} s (build-fuzz)"
status=0
fuzz/run.sh "${BESRIG_FUZZ_SECONDS:-60}" "$top/build-fuzz" || status=$?
if [ "$status" -eq 77 ]; then
  echo "test.sh: fuzzing SKIPPED (no clang/libFuzzer; apt-get install clang libclang-rt-14-dev)" >&2
elif [ "$status" -ne 0 ]; then
  echo "test.sh: fuzzing found a crash (see build-fuzz/crash-*)" >&2
  exit "$status"
fi
