#!/usr/bin/env bash
# The README's test command: install what is missing, build with -Werror,
# run the whole suite (unit, scenario and end-to-end tests on the simulated board),
# then the parsers' libFuzzer targets under ASan + UBSan for a bounded time
# (fuzz/run.sh, build-fuzz; skipped loudly when clang/libFuzzer is missing) and
# the unit tests again in build-asan (ASan + UBSan, -O1, only the unit-test target).
# Pass ctest arguments through, e.g. `scripts/test.sh -L unit` for the quick run;
# a run with ctest arguments is partial and skips the fuzz and sanitizer passes.
#   BESRIG_FUZZ=0|1            run the fuzz targets (default 1)
#   BESRIG_FUZZ_SECONDS=N      fuzzing time (default 60)
#   BESRIG_SANITIZERS=0|1      run the ASan+UBSan unit pass (default 1: SANITIZERS_DEFAULT below)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/setup.sh
scripts/build.sh
(cd build && ctest --output-on-failure --timeout 1500 "$@")
if [ $# -gt 0 ]; then
  echo "test.sh: partial run (ctest arguments given): fuzz and sanitizer passes NOT RUN" >&2
  exit 0
fi

# The parsers' fuzz targets (libFuzzer with ASan + UBSan, clang): on by
# default, seen clean on all three targets. BESRIG_FUZZ=0 skips them.
if [ "${BESRIG_FUZZ:-1}" = 1 ]; then
  echo "test.sh: fuzzing the kernel-log reader, iperf3 parsers and config reader for ${BESRIG_FUZZ_SECONDS:-60} s (build-fuzz, ASan + UBSan)"
  status=0
  fuzz/run.sh "${BESRIG_FUZZ_SECONDS:-60}" "$top/build-fuzz" || status=$?
  if [ "$status" -eq 77 ]; then
    echo "test.sh: fuzzing SKIPPED (no clang/libFuzzer; apt-get install clang libclang-rt-14-dev)" >&2
  elif [ "$status" -ne 0 ]; then
    echo "test.sh: fuzzing found a crash (see build-fuzz/crash-*)" >&2
    exit "$status"
  fi
else
  echo "test.sh: fuzzing NOT RUN (BESRIG_FUZZ=0)" >&2
fi

# The unit tests under ASan + UBSan: on by default (the whole unit label seen
# green in build-asan). build-asan builds only besrig_unit_tests (besrig_core,
# the fixtures and the tests; not the besrig, history_bench or make_fixture
# executables) at -O1. Cold, it costs about 28 min of CPU (70 min wall on a
# 2-core host loaded by two QEMU boards; ccache serves unchanged files later);
# the ctest run about 3.5 min. BESRIG_SANITIZERS=0 skips it.
SANITIZERS_DEFAULT=1
if [ "${BESRIG_SANITIZERS:-$SANITIZERS_DEFAULT}" != 1 ]; then
  echo "test.sh: ASan+UBSan unit pass NOT RUN (BESRIG_SANITIZERS=1 runs it in build-asan)" >&2
  exit 0
fi
echo "test.sh: unit tests under ASan + UBSan (build-asan)"
BESRIG_SANITIZE=1 BESRIG_BUILD_DIR=build-asan BESRIG_BUILD_TARGETS=besrig_unit_tests scripts/build.sh
(cd build-asan &&
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest -L unit --output-on-failure --timeout 600 -j "$(nproc)")
