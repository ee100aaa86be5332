#!/usr/bin/env bash
# The README's demo command: install what is missing, build, boot the
# simulated board "ohm", then tell the story of the seed on it:
#   Phase 3 baseline of the rollback build b, Phase 5 prediction for c-prep
#   (a no-functional-change refactor: throughput 0 % ± 3 %), Phase 7 of
#   c-prep with its verdict, and the Markdown report for the pull request.
# Uses config/rig.json (the short "demo" profile: 2 steps × 20 s, 3 reps).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
scripts/setup.sh
scripts/build.sh
besrig() { "$top/build/besrig" "$@"; }

echo
echo "== The demo takes about 8 minutes on 2 cores without KVM:"
echo "   board boot ~15 s, baseline 3 × 40 s of stress, Phase 7 3 × 40 s, plus module reloads."
echo
if ! besrig sim status >/dev/null 2>&1; then
  besrig sim up
fi
besrig build --patch b
besrig build --patch c-prep
echo
echo "== Phase 3: baseline of the rollback build b"
besrig baseline
echo
echo "== Phase 5: pre-register the prediction for c-prep"
besrig run phase5 --patch c-prep --predict 'throughput=0%±3%' \
  || echo "(the prediction for c-prep is frozen from an earlier Phase 7: kept as it is)"
echo
echo "== Phase 7: c-prep under stress, against the baseline"
status=0
besrig run phase7 --patch c-prep || status=$?
echo
echo "== The verdict comment for the pull request (besrig report latest)"
besrig report latest --format markdown
report_dir="$HOME/.local/share/besrig/reports"
mkdir -p "$report_dir"
besrig report latest --format html -o "$report_dir/latest.html"
echo
echo "HTML report: $report_dir/latest.html"
echo "Phase 7 exit code: $status (0 PASS/EQUIVALENT/IMPROVED, 1 patch failure, 2 inconclusive or infrastructure)"
echo "The board keeps running: besrig sim status | besrig sim down"
