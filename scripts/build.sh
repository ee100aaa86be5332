#!/usr/bin/env bash
# Configures and builds besrig in ./build with warnings as errors.
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
cmake --build "${BESRIG_BUILD_DIR:-build}" -j "$(nproc)"
