#!/usr/bin/env bash
# Configures and builds besrig in ./build with warnings as errors.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
extra=()
[ -n "${BESRIG_SANITIZE:-}" ] && extra+=(-DENABLE_SANITIZER_ADDRESS_UB=ON)
cmake -S . -B "${BESRIG_BUILD_DIR:-build}" -DBESRIG_WERROR=ON "${extra[@]}" >/dev/null
cmake --build "${BESRIG_BUILD_DIR:-build}" -j "$(nproc)"
