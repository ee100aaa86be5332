#include "reports/stats/comparison.hpp"

#include <cmath>
#include <cstdio>

#include "reports/stats/outliers.hpp"

namespace besrig::stats {
namespace {

std::string step_label(const StepKey& k) { return k.name + " (" + k.direction + ")"; }

std::string pct(double log_ratio) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.1f %%", 100.0 * std::expm1(log_ratio));
    return buf;
}

std::vector<double> column(const RunSeries& run, std::size_t step) {
    std::vector<double> out;
    for (const auto& rep : run.values) out.push_back(rep[step]);
    return out;
}

// y_r = mean over steps of ln x_{r,s}.
std::vector<double> rep_log_means(const RunSeries& run) {
    std::vector<double> out;
    for (const auto& rep : run.values) out.push_back(mean(logs(rep)));
    return out;
}

std::vector<int> rep_numbers(const RunSeries& run, const std::vector<std::size_t>& idx) {
    std::vector<int> out;
    for (auto i : idx) out.push_back(i < run.rep_ids.size() ? run.rep_ids[i] : static_cast<int>(i + 1));
    return out;
}

Summary exp_summary(const std::vector<double>& logs_) {
    std::vector<double> v;
    for (double y : logs_) v.push_back(std::exp(y));
    return summarize(v);
}

bool well_formed(const RunSeries& run, const char* which, std::vector<std::string>& reasons) {
    for (const auto& rep : run.values) {
        if (rep.size() != run.steps.size()) {
            reasons.push_back(std::string(which) + " run: a rep does not have every step");
            return false;
        }
        for (double v : rep) {
            if (!(v > 0) || !std::isfinite(v)) {
                reasons.push_back(std::string(which) + " run: a step throughput is not a positive number");
                return false;
            }
        }
    }
    return true;
}

StepComparison compare_step(const RunSeries& base, const RunSeries& patch, std::size_t s, const DecisionRule& rule) {
    StepComparison sc;
    sc.key = base.steps[s];
    const auto b = column(base, s);
    const auto p = column(patch, s);
    sc.base = summarize(b);
    sc.patch = summarize(p);
    const auto lb = logs(b);
    const auto lp = logs(p);
    sc.outliers_base = rep_numbers(base, flag_outliers(lb));
    sc.outliers_patch = rep_numbers(patch, flag_outliers(lp));
    sc.log_ratio = welch_interval(lb, lp, rule.confidence);
    if (!sc.log_ratio) return sc;
    sc.ratio = std::exp(sc.log_ratio->estimate);
    sc.ratio_lo = std::exp(sc.log_ratio->lo);
    sc.ratio_hi = std::exp(sc.log_ratio->hi);
    // Bonferroni over the k steps: a two-sided test at α/k each.
    const double k = static_cast<double>(base.steps.size());
    const Interval strict = t_interval(sc.log_ratio->estimate, sc.log_ratio->se, sc.log_ratio->df,
                                       1.0 - rule.alpha() / k);
    sc.outside_margin = strict.lo > std::log1p(rule.margin) || strict.hi < std::log1p(-rule.margin);
    sc.regressed = strict.hi < std::log1p(-rule.noise_band);
    return sc;
}

}  // namespace

Comparison compare_series(const RunSeries& base, const RunSeries& patch, const DecisionRule& rule) {
    Comparison c;
    c.rule = rule;
    if (base.steps != patch.steps) {
        c.reasons.push_back("the runs do not have the same steps: not comparable");
        return c;
    }
    if (base.steps.empty()) {
        c.reasons.push_back("no steps to compare");
        return c;
    }
    if (!well_formed(base, "baseline", c.reasons) || !well_formed(patch, "patch", c.reasons)) return c;

    for (std::size_t s = 0; s < base.steps.size(); ++s) c.steps.push_back(compare_step(base, patch, s, rule));

    const auto yb = rep_log_means(base);
    const auto yp = rep_log_means(patch);
    c.base_rep_geomean = exp_summary(yb);
    c.patch_rep_geomean = exp_summary(yp);
    c.outliers_base = rep_numbers(base, flag_outliers(yb));
    c.outliers_patch = rep_numbers(patch, flag_outliers(yp));
    if (yb.size() < 2 || yp.size() < 2) {
        c.reasons.push_back("need at least 2 reps in each run (baseline " + std::to_string(yb.size()) + ", patch " +
                            std::to_string(yp.size()) + ")");
        return c;
    }
    const auto iv = welch_interval(yb, yp, rule.confidence);
    const double nb = static_cast<double>(yb.size());
    const double np = static_cast<double>(yp.size());
    const double sd_obs = std::sqrt(((nb - 1) * variance(yb) + (np - 1) * variance(yp)) / (nb + np - 2));
    const int n = static_cast<int>(std::min(yb.size(), yp.size()));
    c.pooled = decide(iv->estimate, iv->se, iv->df, sd_obs, n, rule);
    c.ratio = std::exp(c.pooled->ci.estimate);
    c.ratio_lo = std::exp(c.pooled->ci.lo);
    c.ratio_hi = std::exp(c.pooled->ci.hi);
    c.decision = c.pooled->decision;
    std::string pooled_reason = "pooled over " + std::to_string(base.steps.size()) + " step(s): " + c.pooled->reason;

    // Step-level guards (Bonferroni across steps).
    std::vector<std::string> step_reasons;
    bool any_regressed = false;
    bool any_outside = false;
    for (const auto& sc : c.steps) {
        if (!sc.log_ratio) continue;
        const std::string what = "step " + step_label(sc.key) + ": ratio " + pct(sc.log_ratio->estimate) + " [" +
                                 pct(sc.log_ratio->lo) + ", " + pct(sc.log_ratio->hi) + "]";
        if (sc.regressed) {
            any_regressed = true;
            step_reasons.push_back(what + " is below the noise band even at the Bonferroni level");
        } else if (sc.outside_margin && c.decision == Decision::Equivalent) {
            any_outside = true;
            step_reasons.push_back(what + " lies outside the margin at the Bonferroni level: the effect is not "
                                          "common across steps");
        }
    }
    if (base.steps.size() > 1 && any_regressed && c.decision != Decision::Regressed) {
        c.decision = Decision::Regressed;
        c.reasons = step_reasons;
        c.notes.push_back(pooled_reason);
    } else if (base.steps.size() > 1 && any_outside && c.decision == Decision::Equivalent) {
        c.decision = Decision::Inconclusive;
        c.reasons = step_reasons;
        c.notes.push_back(pooled_reason);
    } else {
        c.reasons.push_back(pooled_reason);
        for (auto& r : step_reasons) c.notes.push_back(r);
    }

    auto list = [](const std::vector<int>& reps) {
        std::string s;
        for (int r : reps) s += (s.empty() ? "" : ", ") + std::to_string(r);
        return s;
    };
    if (!c.outliers_base.empty())
        c.notes.push_back("baseline rep(s) " + list(c.outliers_base) + " far from the others (flagged, kept)");
    if (!c.outliers_patch.empty())
        c.notes.push_back("patch rep(s) " + list(c.outliers_patch) + " far from the others (flagged, kept)");
    return c;
}

}  // namespace besrig::stats
