#!/usr/bin/env bash
# Configures and builds besrig in ./build with warnings as errors.
#   BESRIG_BUILD_DIR=dir    another build directory (e.g. build-asan)
#   BESRIG_SANITIZE=1       ASan + UBSan (ENABLE_SANITIZER_ADDRESS_UB)
#   BESRIG_BUILD_TARGETS=.. only these targets (e.g. besrig_unit_tests)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
extra=()
[ -n "${BESRIG_SANITIZE:-}" ] && extra+=(-DENABLE_SANITIZER_ADDRESS_UB=ON)
# ccache when installed (several worktrees of one clone share its cache).
if command -v ccache >/dev/null; then
  extra+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="$top" CCACHE_NOHASHDIR=1
fi
cmake -S . -B "${BESRIG_BUILD_DIR:-build}" -DBESRIG_WERROR=ON "${extra[@]}" >/dev/null
targets=()
for t in ${BESRIG_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "${BESRIG_BUILD_DIR:-build}" -j "$(nproc)" "${targets[@]}"
