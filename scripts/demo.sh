#!/usr/bin/env bash
# The README's demo command: install what is missing, build, and run the demo
# against the simulated board.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/setup.sh
scripts/build.sh
besrig=build/besrig
echo
echo "== besrig config show (the rig the demo drives)"
$besrig config show
echo
echo "== besrig history"
$besrig history
echo
echo "The simulated board and Phase 7 are not built yet: the demo stops here."
