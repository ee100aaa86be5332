// The nightly trend (`besrig report --nightly`): for every patch with Phase 7
// runs in the last N nights, one point per night and a decision whether it
// moved since last week; the kernel-log fingerprints first seen in the
// period; an exit code for cron and CI.
//
// The rule, written once here and in docs/report-json.md:
// - A night is the UTC date of (start − 12 h): a run at 01:30 belongs to the
//   evening before, so one nightly batch is one night however late it runs.
// - A night's point for a patch is the mean of its Phase 7 runs that night:
//   MB/s (mean of the runs' per-step means) and the pooled ratio vs the
//   baseline from each run's details_json (interval: lowest lo, highest hi).
// - Reference: the median ratio of the patch's nights among the 7 calendar
//   nights before (at least 3 of them, else "not enough history").
// - Moved: the night's whole interval lies beyond reference × (1 ± margin)
//   (default margin 3 %): "up" above, "down" below. A change point marks
//   each night that moved; the decision for the patch is its latest night.
// - Exit 1 when any patch's latest night failed (FAIL, WEDGED, HOST_DOWN,
//   REGRESSED) or moved down; else 0.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "reports/store/store.hpp"

namespace besrig::report {

struct NightlyOptions {
    int nights = 14;
    double margin_pct = 3.0;
    int reference_nights = 7;
    std::optional<double> until;  // the last night includes this time (default: the newest phase7 run)
};

struct NightPoint {
    std::string night;  // YYYY-MM-DD
    int index = 0;      // 0 = first night of the window
    std::vector<std::int64_t> runs;
    std::vector<std::string> verdicts;
    std::optional<double> mbytes;
    std::optional<double> ratio, lo, hi;
    std::optional<double> reference;  // median of the previous week's ratios
    std::string move;                 // "" | up | down
    bool failed = false;
};

struct PatchTrend {
    std::string patch;
    std::vector<NightPoint> points;  // nights with runs, in order
    std::string status;              // steady | moved up | moved down | failed | no run last night | not enough history
    std::string detail;
};

struct NewFingerprint {
    std::string fingerprint, title, module, cls, patch, night;
    std::int64_t run = 0;
    std::int64_t count = 0;
};

struct NightlyReport {
    NightlyOptions options;
    std::vector<std::string> nights;  // the window, oldest first
    std::vector<PatchTrend> patches;
    std::vector<NewFingerprint> new_fingerprints;
    std::optional<std::int64_t> baseline_run;
    std::string baseline_patch;
    int runs = 0;
    int exit_code = 0;
};

NightlyReport load_nightly(Store& store, const NightlyOptions& options);

std::string render_nightly_markdown(const NightlyReport& n);
std::string render_nightly_html(const NightlyReport& n);
nlohmann::json nightly_json(const NightlyReport& n);

}  // namespace besrig::report
