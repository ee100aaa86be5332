// From an interval on the log-ratio scale to a decision (BRIEF §5).
//
// Every claim is a test at level α = (1 - confidence)/2 (5 % at the default
// 90 % confidence):
// - EQUIVALENT (TOST, two one-sided tests at α): the whole `confidence` (90 %)
//   interval lies inside [ln(1-m), ln(1+m)] for margin m (default 3 %).
// - REGRESSED / IMPROVED (a two-sided test at α): the 1-α (95 %) interval lies
//   entirely beyond the noise band b, i.e. above ln(1+b) or below ln(1-b).
//   (Using the 90 % interval here would call 10 % of no-effect patches
//   REGRESSED or IMPROVED; the simulation in docs/statistics.md shows this.)
// - with `expect improve` the improvement is tested one-sided at α: the lower
//   end of the 90 % interval above ln(1+b).
// - INCONCLUSIVE otherwise, with the repetitions likely needed to decide.
#pragma once

#include <optional>
#include <string>

#include "reports/stats/welch.hpp"

namespace besrig::stats {

enum class Expect { NoDelta, Improve, Any };
enum class Decision { Equivalent, Improved, Regressed, Inconclusive };

const char* to_string(Decision d);
const char* to_string(Expect e);
// "no-delta" | "improve" | "any"; nullopt for anything else.
std::optional<Expect> parse_expect(const std::string& s);

struct DecisionRule {
    double margin = 0.03;      // equivalence margin as a fraction (±3 %)
    double noise_band = 0.01;  // smallest change worth calling a change (1 %)
    double confidence = 0.90;  // TOST interval; α = (1 - confidence)/2
    Expect expect = Expect::NoDelta;
    bool estimate_reps = true;  // compute reps_needed when INCONCLUSIVE (the simulation skips it)

    double alpha() const { return 0.5 * (1.0 - confidence); }
};

struct DecisionResult {
    Decision decision = Decision::Inconclusive;
    Interval ci;        // at rule.confidence (what the tables print)
    Interval ci_claim;  // at 1 - α, used for REGRESSED/IMPROVED claims
    std::string reason;
    // When INCONCLUSIVE: repetitions per run likely (80 % power) to decide,
    // and what they would likely decide. nullopt: more than k_max_reps.
    std::optional<int> reps_needed;
    Decision likely = Decision::Inconclusive;
};

inline constexpr int k_max_reps = 200;
inline constexpr double k_target_power = 0.80;

// Decides from a log-ratio estimate d with standard error se on df degrees of
// freedom. `sd_obs` is the per-observation SD on the log scale and `n` the reps
// per run, used only for the reps-needed estimate.
DecisionResult decide(double d, double se, double df, double sd_obs, int n, const DecisionRule& rule);

// Smallest reps per run (both runs) at which the planned comparison reaches
// `power`, assuming the true log ratio is `d` and the per-observation SD is
// `sd`; the design's se is sd·√(2/n) on 2n-2 df. Approximations (normal
// shift of a central t quantile, Chow & Liu's for TOST):
//   TOST:   Φ((Δu - d)/se - t) + Φ((d - Δl)/se - t) - 1,   t = t_{1-α, 2n-2}
//   change: Φ((|d| - ln(1+b))/se - t'),  t' = t_{1-α/2, 2n-2} (t_{1-α} for improve)
// Returns nullopt when even k_max_reps is not enough.
std::optional<int> reps_for_equivalence(double d, double sd, const DecisionRule& rule, double power);
std::optional<int> reps_for_change(double d, double sd, const DecisionRule& rule, double power);

}  // namespace besrig::stats
