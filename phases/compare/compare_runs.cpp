#include "phases/compare/compare_runs.hpp"

#include <cmath>
#include <set>

#include "phases/compare/guard_rails.hpp"
#include "phases/verdict.hpp"
#include "reports/stats/descriptive.hpp"
#include "reports/stats/welch.hpp"
#include "util/error.hpp"

namespace besrig::compare {
namespace {

stats::RunSeries series_of(const std::vector<const RepData*>& reps) {
    stats::RunSeries s;
    if (reps.empty()) return s;
    for (const auto& st : reps.front()->steps) s.steps.push_back({st.name, st.direction});
    for (const auto* r : reps) {
        s.rep_ids.push_back(r->idx);
        std::vector<double> row;
        for (const auto& st : r->steps) row.push_back(st.mean_mbytes.value_or(0.0));
        s.values.push_back(std::move(row));
    }
    return s;
}

// Steps that moved no data: the patch broke the data path there.
std::vector<std::string> dead_steps(const std::vector<const RepData*>& reps) {
    std::vector<std::string> out;
    for (const auto* r : reps)
        for (const auto& st : r->steps)
            if (!(st.mean_mbytes.value_or(0.0) > 0))
                out.push_back("rep " + std::to_string(r->idx) + " step " + st.name + " (" + st.direction + ")");
    return out;
}

std::string offset_text(const std::optional<double>& s) {
    if (!s) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, " first at +%.0f s", *s);
    return buf;
}

MetricJudgement judge_dispatch_rate(const stats::Prediction& p, const std::string& function,
                                    const std::vector<const RepData*>& base, const std::vector<const RepData*>& patch,
                                    double confidence) {
    MetricJudgement j;
    j.prediction = p;
    std::vector<double> b, q;
    for (const auto* r : base)
        if (auto it = r->dispatch_rates.find(function); it != r->dispatch_rates.end()) b.push_back(it->second);
    for (const auto* r : patch) q.push_back(r->dispatch_rates.count(function) ? r->dispatch_rates.at(function) : 0.0);
    const double mb = stats::mean(b);
    const auto iv = stats::welch_interval(b, q, confidence);
    if (!iv || !(mb > 0) || !p.relative) {
        j.note = "not measured (needs dispatch counts of " + function + " in at least 2 reps of each run)";
        return j;
    }
    // Relative change of the mean rate; the baseline mean is treated as known
    // (its own uncertainty is not propagated: a stated approximation).
    j.measured = true;
    j.estimate = 100.0 * iv->estimate / mb;
    j.lo = 100.0 * iv->lo / mb;
    j.hi = 100.0 * iv->hi / mb;
    j.judgement = stats::judge(p, j.lo, j.hi);
    return j;
}

std::vector<MetricJudgement> judge_predictions(const std::vector<stats::Prediction>& preds, const RunComparison& c,
                                               const RunData& patch, const std::vector<const RepData*>& base_reps,
                                               const std::vector<const RepData*>& patch_reps) {
    std::vector<MetricJudgement> out;
    for (const auto& p : preds) {
        MetricJudgement j;
        j.prediction = p;
        if (p.metric == "throughput" && p.relative) {
            if (c.stats && c.stats->pooled) {
                j.measured = true;
                j.estimate = 100.0 * (c.stats->ratio - 1.0);
                j.lo = 100.0 * (c.stats->ratio_lo - 1.0);
                j.hi = 100.0 * (c.stats->ratio_hi - 1.0);
                j.judgement = stats::judge(p, j.lo, j.hi);
            } else {
                j.note = "not measured: no throughput comparison";
            }
        } else if (p.metric == "splats" && !p.relative) {
            long long n = 0;
            for (const auto& k : patch.failing) n += k.count;
            j.measured = true;
            j.estimate = j.lo = j.hi = static_cast<double>(n);
            j.judgement = stats::judge(p, j.lo, j.hi);
        } else if (p.metric.size() > 5 && p.metric.ends_with("_rate")) {
            j = judge_dispatch_rate(p, p.metric.substr(0, p.metric.size() - 5), base_reps, patch_reps,
                                    c.rule.confidence);
        } else {
            j.note = "not measured: besrig knows throughput, splats and <work function>_rate";
        }
        out.push_back(std::move(j));
    }
    return out;
}

}  // namespace

int RunComparison::exit_code(bool bisect) const { return exit_code_for_verdict(verdict, bisect); }

RunComparison compare_run_data(const RunData& base, const RunData& patch, const stats::DecisionRule& rule,
                               const std::vector<stats::Prediction>& predictions) {
    RunComparison c;
    c.base = base.run;
    c.patch = patch.run;
    c.rule = rule;

    // The kernel log overrides the numbers.
    std::set<std::string> known;
    for (const auto& k : base.failing) known.insert(k.fingerprint);
    for (const auto& k : patch.failing)
        if (!known.count(k.fingerprint)) c.new_fingerprints.push_back(k);

    auto guards = run_guard_rails(base, patch);
    const auto base_reps = usable_reps(base, "baseline", c.notes);
    const auto patch_reps = usable_reps(patch, "patch", c.notes);
    for (const auto* r : base_reps) c.base_reps.push_back(r->idx);
    for (const auto* r : patch_reps) c.patch_reps.push_back(r->idx);
    for (auto& g : step_guard_rails(base_reps, patch_reps)) guards.push_back(std::move(g));
    for (const auto& d : dead_steps(base_reps)) guards.push_back("baseline " + d + " moved no data");
    const auto dead_patch = dead_steps(patch_reps);

    if (!base_reps.empty() && !patch_reps.empty() && guards.empty() && dead_patch.empty())
        c.stats = stats::compare_series(series_of(base_reps), series_of(patch_reps), rule);

    std::string numbers_verdict = "INCONCLUSIVE";
    std::vector<std::string> numbers_reasons;
    if (!guards.empty()) {
        numbers_reasons = guards;
    } else if (!dead_patch.empty()) {
        numbers_verdict = "REGRESSED";
        for (const auto& d : dead_patch) numbers_reasons.push_back("patch " + d + " moved no data");
    } else if (base_reps.empty() || patch_reps.empty()) {
        numbers_reasons.push_back(std::string("no usable reps in the ") + (base_reps.empty() ? "baseline" : "patch") +
                                  " run");
    } else {
        numbers_verdict = stats::to_string(c.stats->decision);
        numbers_reasons = c.stats->reasons;
        for (const auto& n : c.stats->notes) c.notes.push_back(n);
    }

    if (!c.new_fingerprints.empty()) {
        c.verdict = "FAIL";
        for (const auto& k : c.new_fingerprints)
            c.reasons.push_back("new kernel-log signature not in the baseline: " + k.cls + " " + k.title + " ×" +
                                std::to_string(k.count) + offset_text(k.first_offset_s));
        c.notes.insert(c.notes.begin(), "throughput alone: " + numbers_verdict +
                                            (numbers_reasons.empty() ? "" : " (" + numbers_reasons.front() + ")"));
    } else {
        c.verdict = numbers_verdict;
        c.reasons = numbers_reasons;
    }
    c.predictions = judge_predictions(predictions, c, patch, base_reps, patch_reps);
    return c;
}

std::vector<stats::Prediction> stored_predictions(Store& store, const std::string& patch) {
    std::vector<stats::Prediction> out;
    Stmt q(store.db(), "SELECT metric, spec FROM predictions WHERE patch = ? AND superseded = 0 ORDER BY id");
    q.bind(1, patch);
    while (q.step()) {
        std::string error;
        const std::string text = q.get_text(0) + "=" + q.get_text(1);
        if (auto p = stats::parse_prediction(text, error)) out.push_back(*p);
        else throw_infra(store.path().string() + ": stored prediction for patch " + patch + " is unreadable: " + error);
    }
    return out;
}

RunComparison compare_runs(Store& store, std::int64_t base_run, std::int64_t patch_run,
                           const stats::DecisionRule& rule) {
    const auto base = read_run_data(store, base_run);
    const auto patch = read_run_data(store, patch_run);
    return compare_run_data(base, patch, rule, stored_predictions(store, patch.run.patch));
}

}  // namespace besrig::compare
