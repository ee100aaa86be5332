// Comparing a patch run with a baseline run over the store (BRIEF §5): guard
// rails first (same rig, kernel, profile, steps, fresh-chip and
// instrumentation settings, finished reps), then the statistics of
// reports/stats/comparison.hpp, then the kernel log, which overrides numbers:
// any failing fingerprint the baseline does not show makes the verdict FAIL.
// Predictions pre-registered for the patch (Phase 5) are judged on the same data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "phases/compare/run_data.hpp"
#include "reports/stats/comparison.hpp"
#include "reports/stats/prediction.hpp"

namespace besrig::compare {

struct MetricJudgement {
    stats::Prediction prediction;
    bool measured = false;
    double lo = 0, hi = 0, estimate = 0;  // observed, in the prediction's units
    stats::Judgement judgement = stats::Judgement::Inconclusive;
    std::string note;
};

struct RunComparison {
    RunRecord base;
    RunRecord patch;
    stats::DecisionRule rule;
    std::optional<stats::Comparison> stats;  // nullopt when no series could be built
    std::string verdict;                     // FAIL | EQUIVALENT | IMPROVED | REGRESSED | INCONCLUSIVE
    std::vector<std::string> reasons;        // why, decisive first
    std::vector<std::string> notes;          // flags that do not change the verdict
    std::vector<KernelFingerprint> new_fingerprints;
    std::vector<int> base_reps;   // rep numbers used
    std::vector<int> patch_reps;
    std::vector<MetricJudgement> predictions;

    // phases/verdict.hpp: 0 for EQUIVALENT/IMPROVED, 1 for FAIL/REGRESSED,
    // 2 for INCONCLUSIVE (125 under --bisect: the rig could not judge).
    int exit_code(bool bisect = false) const;
};

RunComparison compare_runs(Store& store, std::int64_t base_run, std::int64_t patch_run,
                           const stats::DecisionRule& rule);

// Pure part, for tests and for callers that already hold the data.
RunComparison compare_run_data(const RunData& base, const RunData& patch, const stats::DecisionRule& rule,
                               const std::vector<stats::Prediction>& predictions);

// Current (not superseded) predictions of a patch, as stored by Phase 5.
std::vector<stats::Prediction> stored_predictions(Store& store, const std::string& patch);

}  // namespace besrig::compare
