#!/usr/bin/env bash
# The README's test command: install what is missing, build with -Werror,
# run the whole suite (unit, scenario and end-to-end tests on the simulated board).
# Pass ctest arguments through, e.g. `scripts/test.sh -L unit` for the quick run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/setup.sh
scripts/build.sh
cd build
ctest --output-on-failure --timeout 1500 "$@"
