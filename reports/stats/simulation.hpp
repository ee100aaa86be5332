// Proof by simulation that the comparison keeps its promises (issue 9): many
// simulated baseline/patch pairs with a known true effect go through the very
// same compare_series() the real command uses, and we count the decisions.
//
// Data model (log scale, per run, rep r, step s):
//   ln x_{r,s} = ln μ_s + ln(1+δ)·[patch] + u_r + e_{r,s}
//   e ~ N(0, σ²), σ² = ln(1 + cv²)           per-step measurement noise
//   u ~ N(0, σ_r²), σ_r² = ln(1 + rep_cv²)   noise shared by a rep's steps
// with μ_s spread over 1..40 MB/s (irrelevant on the log scale).
// The RNG is std::mt19937_64 (fully specified by the standard) and normals come
// from our own Box–Muller, so a seed gives the same figures on any platform.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "reports/stats/decision.hpp"

namespace besrig::stats {

struct SimulationSetup {
    int reps = 3;
    int steps = 16;
    double cv = 0.02;      // per-step coefficient of variation between reps
    double rep_cv = 0.0;   // coefficient of variation shared by all steps of a rep
    int trials = 4000;
    std::uint64_t seed = 1;
    DecisionRule rule;
};

// Decision counts for one true effect.
struct SimulationCell {
    double true_delta = 0;  // fraction, e.g. -0.05
    int trials = 0;
    int equivalent = 0;
    int improved = 0;
    int regressed = 0;
    int inconclusive = 0;
    double rate(int count) const { return trials ? static_cast<double>(count) / trials : 0.0; }
};

// Runs `setup.trials` comparisons for each true effect in `deltas`; each
// effect gets its own deterministic stream derived from the seed.
std::vector<SimulationCell> simulate(const SimulationSetup& setup, const std::vector<double>& deltas);

// The four figures issue 9 asks for, from cells for 0, ±5 %, ±10 %.
struct SimulationGoals {
    double equivalent_at_0 = 0;          // rate of EQUIVALENT when δ = 0
    double false_change_at_0 = 0;        // REGRESSED or IMPROVED when δ = 0  (goal ≤ 5 %)
    double false_equivalent_at_5 = 0;    // EQUIVALENT when δ = ±5 %, worse sign (goal ≤ 5 %)
    double power_at_10 = 0;              // right direction when δ = ±10 %, worse sign (goal ≥ 90 %)
    bool meets_false_change() const { return false_change_at_0 <= 0.05; }
    bool meets_false_equivalent() const { return false_equivalent_at_5 <= 0.05; }
    bool meets_power() const { return power_at_10 >= 0.90; }
};

// Simulates δ ∈ {0, -5 %, +5 %, -10 %, +10 %} and summarises.
SimulationGoals simulate_goals(const SimulationSetup& setup);

// The goals at each number of reps in `reps` (other settings from `setup`),
// and the smallest of those N meeting each goal (nullopt: none of them).
struct RepsSweep {
    std::vector<int> reps;
    std::vector<SimulationGoals> goals;
    std::optional<int> n_false_change;
    std::optional<int> n_false_equivalent;
    std::optional<int> n_power;
    std::optional<int> n_all;  // smallest N meeting all three
    std::optional<int> n_equivalent;  // smallest N showing a true no-delta EQUIVALENT >= 80 % of the time
};
RepsSweep sweep_reps(const SimulationSetup& setup, const std::vector<int>& reps);

}  // namespace besrig::stats
