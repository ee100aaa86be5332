// The throughput comparison of a patch run against a baseline run, on pure
// data (no store, no I/O): per step and direction a Welch interval on log
// throughput, a pooled patch effect across steps, and the decision.
//
// Unit of observation: a repetition's mean throughput in a step (warm-up
// seconds excluded by the caller). Reps are the independent units: each runs
// on a fresh chip.
//
// Pooled model ("summary measure per rep"): each rep is summarised by the mean
// of its log step throughputs, y_r = (1/k) Σ_s ln x_{r,s} (the log of its
// geometric mean across the k steps), and Welch's interval is computed on the
// y_r of the two runs. The estimate equals the unweighted mean of the per-step
// log ratios, so exp(estimate) is the geometric mean of the step ratios.
// Assumptions: reps independent; a common multiplicative patch effect across
// steps (otherwise the estimate is the geometric-mean effect, and steps that
// disagree are reported, see `heterogeneous`); lognormal noise. Because the
// rep is the unit, noise shared by all steps of one rep (a slow rep) widens
// the interval as it should — treating the k·N step values as independent
// would not. Steps get equal weight: rate-capped steps, whose reps agree
// closely, do not dominate as they would under inverse-variance weighting.
//
// Step-level guard: a step whose own Welch interval at the Bonferroni level
// (two-sided α/k) lies entirely below -noise band makes the comparison
// REGRESSED whatever the pooled effect; one entirely outside the margin
// (either side) keeps the comparison from being EQUIVALENT.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "reports/stats/decision.hpp"
#include "reports/stats/descriptive.hpp"
#include "reports/stats/welch.hpp"

namespace besrig::stats {

struct StepKey {
    std::string name;
    std::string direction;  // rx | tx
    bool operator==(const StepKey&) const = default;
};

// Throughput (MB/s, > 0) of one run: values[r][s] for rep r and step s.
struct RunSeries {
    std::vector<StepKey> steps;
    std::vector<int> rep_ids;  // rep numbers as stored (for flags and tables)
    std::vector<std::vector<double>> values;
};

struct StepComparison {
    StepKey key;
    Summary base;   // MB/s
    Summary patch;  // MB/s
    std::optional<Interval> log_ratio;  // at rule.confidence; nullopt when < 2 reps
    double ratio = 0, ratio_lo = 0, ratio_hi = 0;  // exp of the above
    bool outside_margin = false;     // Bonferroni interval entirely outside ±margin
    bool regressed = false;          // Bonferroni interval entirely below -noise band
    std::vector<int> outliers_base;  // rep numbers flagged (see outliers.hpp)
    std::vector<int> outliers_patch;
};

struct Comparison {
    DecisionRule rule;
    std::vector<StepComparison> steps;
    std::optional<DecisionResult> pooled;  // nullopt: could not be computed
    double ratio = 0, ratio_lo = 0, ratio_hi = 0;  // pooled, at rule.confidence
    Summary base_rep_geomean;   // MB/s, geometric mean over steps per rep
    Summary patch_rep_geomean;
    std::vector<int> outliers_base;  // reps flagged on their pooled value
    std::vector<int> outliers_patch;
    Decision decision = Decision::Inconclusive;
    std::vector<std::string> reasons;  // why, the decisive one first
    std::vector<std::string> notes;    // flags that do not change the decision
};

// Compares `patch` with `base`. Both must list the same steps in the same
// order; otherwise the result is INCONCLUSIVE with the reason. Values must
// be > 0 (a dead step is the caller's business).
Comparison compare_series(const RunSeries& base, const RunSeries& patch, const DecisionRule& rule);

}  // namespace besrig::stats
