#include "reports/stats/decision.hpp"

#include <cmath>
#include <cstdio>

#include "reports/stats/student_t.hpp"

namespace besrig::stats {
namespace {

std::string pct(double log_ratio) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.2f %%", 100.0 * std::expm1(log_ratio));
    return buf;
}

std::string ratio_ci(const Interval& iv) {
    return "[" + pct(iv.lo) + ", " + pct(iv.hi) + "] (" + std::to_string(static_cast<int>(std::lround(100 * iv.confidence))) +
           " %)";
}

double planned_se(double sd, int n) { return sd * std::sqrt(2.0 / n); }

}  // namespace

const char* to_string(Decision d) {
    switch (d) {
        case Decision::Equivalent: return "EQUIVALENT";
        case Decision::Improved: return "IMPROVED";
        case Decision::Regressed: return "REGRESSED";
        case Decision::Inconclusive: return "INCONCLUSIVE";
    }
    return "?";
}

const char* to_string(Expect e) {
    switch (e) {
        case Expect::NoDelta: return "no-delta";
        case Expect::Improve: return "improve";
        case Expect::Any: return "any";
    }
    return "?";
}

std::optional<Expect> parse_expect(const std::string& s) {
    if (s == "no-delta") return Expect::NoDelta;
    if (s == "improve") return Expect::Improve;
    if (s == "any") return Expect::Any;
    return std::nullopt;
}

std::optional<int> reps_for_equivalence(double d, double sd, const DecisionRule& rule, double power) {
    const double up = std::log1p(rule.margin);
    const double down = std::log1p(-rule.margin);
    if (!(d > down && d < up)) return std::nullopt;
    for (int n = 2; n <= k_max_reps; ++n) {
        const double se = planned_se(sd, n);
        if (!(se > 0)) return n;
        const double t = t_quantile(1.0 - rule.alpha(), 2.0 * n - 2.0);
        const double p = normal_cdf((up - d) / se - t) + normal_cdf((d - down) / se - t) - 1.0;
        if (p >= power) return n;
    }
    return std::nullopt;
}

std::optional<int> reps_for_change(double d, double sd, const DecisionRule& rule, double power) {
    const double band = d >= 0 ? std::log1p(rule.noise_band) : -std::log1p(-rule.noise_band);
    if (!(std::fabs(d) > band)) return std::nullopt;
    const bool one_sided = rule.expect == Expect::Improve && d > 0;
    for (int n = 2; n <= k_max_reps; ++n) {
        const double se = planned_se(sd, n);
        if (!(se > 0)) return n;
        const double t = t_quantile(one_sided ? 1.0 - rule.alpha() : 1.0 - rule.alpha() / 2.0, 2.0 * n - 2.0);
        if (normal_cdf((std::fabs(d) - band) / se - t) >= power) return n;
    }
    return std::nullopt;
}

DecisionResult decide(double d, double se, double df, double sd_obs, int n, const DecisionRule& rule) {
    DecisionResult r;
    r.ci = t_interval(d, se, df, rule.confidence);
    r.ci_claim = t_interval(d, se, df, 1.0 - rule.alpha());
    const double m_up = std::log1p(rule.margin);
    const double m_down = std::log1p(-rule.margin);
    const double b_up = std::log1p(rule.noise_band);
    const double b_down = std::log1p(-rule.noise_band);
    const bool inside_margin = r.ci.lo > m_down && r.ci.hi < m_up;
    const double improve_lo = rule.expect == Expect::Improve ? r.ci.lo : r.ci_claim.lo;
    const bool improved = improve_lo > b_up;
    const bool regressed = r.ci_claim.hi < b_down;
    char margin_text[48];
    std::snprintf(margin_text, sizeof margin_text, "±%.4g %%", 100.0 * rule.margin);
    char band_text[48];
    std::snprintf(band_text, sizeof band_text, "%.4g %%", 100.0 * rule.noise_band);

    const auto equivalent = [&] {
        r.decision = Decision::Equivalent;
        r.reason = "the " + ratio_ci(r.ci) + " interval lies inside the " + margin_text + " margin (TOST)";
    };
    const auto changed = [&](Decision which) {
        r.decision = which;
        const Interval& iv = which == Decision::Improved && rule.expect == Expect::Improve ? r.ci : r.ci_claim;
        r.reason = "the " + ratio_ci(iv) + " interval lies " +
                   (which == Decision::Improved ? "above +" : "below -") + band_text + " (noise band)";
    };

    if (rule.expect == Expect::NoDelta && inside_margin) {
        equivalent();
    } else if (improved) {
        changed(Decision::Improved);
    } else if (regressed) {
        changed(Decision::Regressed);
    } else if (inside_margin) {
        equivalent();
        if (rule.expect == Expect::Improve) r.reason += "; the expected improvement did not show";
    } else {
        r.decision = Decision::Inconclusive;
        // Say where the interval is: "neither inside nor beyond" misleads
        // when it lies wholly on one side of zero.
        if (r.ci.hi < 0 || r.ci.lo > 0) {
            const bool below = r.ci.hi < 0;
            const Interval& claim = below || rule.expect != Expect::Improve ? r.ci_claim : r.ci;
            r.reason = "the " + ratio_ci(r.ci) + " interval lies " + (below ? "below" : "above") +
                       " zero, but the " + ratio_ci(claim) + " interval does not clear the " +
                       (below ? "-" : "+") + band_text + " noise band";
            if (below && rule.expect == Expect::Improve) r.reason += "; the expected improvement did not show";
        } else {
            r.reason = "the " + ratio_ci(r.ci) + " interval spans zero and is not inside the " +
                       std::string(margin_text) + " margin";
        }
        if (!rule.estimate_reps) return r;
        const auto eq = reps_for_equivalence(d, sd_obs, rule, k_target_power);
        const auto ch = reps_for_change(d, sd_obs, rule, k_target_power);
        if (eq && (!ch || *eq <= *ch)) {
            r.reps_needed = *eq;
            r.likely = Decision::Equivalent;
        } else if (ch) {
            r.reps_needed = *ch;
            r.likely = d > 0 ? Decision::Improved : Decision::Regressed;
        }
        if (r.reps_needed && *r.reps_needed <= n) {
            // The design is big enough on average; this sample was unlucky.
            r.reps_needed = n + 1;
        }
        if (r.reps_needed) {
            r.reason += "; about " + std::to_string(*r.reps_needed) + " reps per run (" +
                        std::to_string(*r.reps_needed - n) + " more) would likely (80 %) show " +
                        to_string(r.likely) + " if the observed effect and spread hold";
        } else {
            r.reason += "; more than " + std::to_string(k_max_reps) +
                        " reps per run would be needed at the observed effect and spread";
        }
    }
    return r;
}

}  // namespace besrig::stats
