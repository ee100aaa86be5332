#include "phases/compare/comparison_text.hpp"

#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "util/table.hpp"

namespace besrig::compare {
namespace {

__attribute__((format(printf, 1, 2))) std::string fmt(const char* f, ...) {
    char buf[64];
    va_list ap;
    va_start(ap, f);
    std::vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

std::string pct_of_ratio(double r) { return fmt("%+.1f %%", 100.0 * (r - 1.0)); }

std::string run_line(const char* role, const RunRecord& r) {
    return std::string(role) + " run " + std::to_string(r.id) + ": patch " + (r.patch.empty() ? "-" : r.patch) +
           ", " + r.kind + ", profile " + (r.profile.empty() ? "-" : r.profile) + ", kernel " +
           (r.kernel_release.empty() ? "-" : r.kernel_release) + ", rig " + r.rig;
}

std::string mean_sd(const stats::Summary& s) { return fmt("%.3f", s.mean) + " ±" + fmt("%.3f", s.sd); }

std::string observed(const MetricJudgement& j) {
    if (!j.measured) return j.note;
    if (!j.prediction.relative) return fmt("%g", j.estimate);
    return fmt("%+.1f %%", j.estimate) + " [" + fmt("%+.1f", j.lo) + ", " + fmt("%+.1f", j.hi) + "]";
}

nlohmann::json opt_interval(const std::optional<stats::Interval>& iv) {
    if (!iv) return nullptr;
    return {{"log_ratio", iv->estimate}, {"se", iv->se}, {"df", iv->df}, {"confidence", iv->confidence},
            {"lo", iv->lo}, {"hi", iv->hi}};
}

nlohmann::json summary_json(const stats::Summary& s) {
    return {{"n", s.n}, {"mean", s.mean}, {"median", s.median}, {"min", s.min}, {"max", s.max}, {"sd", s.sd}};
}

}  // namespace

std::string render_text(const RunComparison& c) {
    std::string out = run_line("baseline", c.base) + "\n" + run_line("patch   ", c.patch) + "\n";
    const int conf = static_cast<int>(std::lround(100 * c.rule.confidence));
    out += "expect " + std::string(stats::to_string(c.rule.expect)) + ", margin ±" + fmt("%g", 100 * c.rule.margin) +
           " %, noise band " + fmt("%g", 100 * c.rule.noise_band) + " %, " + std::to_string(conf) +
           " % intervals, Welch on log throughput, reps are the unit\n\n";
    if (c.stats && !c.stats->steps.empty()) {
        const std::string ci = std::to_string(conf) + " % CI";
        TextTable t({"step", "dir", "n base", "n patch", "base MB/s", "patch MB/s", "change", ci, "flags"});
        for (const auto& s : c.stats->steps) {
            std::string flags;
            if (s.regressed) flags += "regressed ";
            else if (s.outside_margin) flags += "outside-margin ";
            if (!s.outliers_base.empty() || !s.outliers_patch.empty()) flags += "outlier-rep";
            t.add({s.key.name, s.key.direction, std::to_string(s.base.n), std::to_string(s.patch.n), mean_sd(s.base),
                   mean_sd(s.patch), s.log_ratio ? pct_of_ratio(s.ratio) : "-",
                   s.log_ratio ? "[" + pct_of_ratio(s.ratio_lo) + ", " + pct_of_ratio(s.ratio_hi) + "]" : "-", flags});
        }
        if (c.stats->pooled) {
            t.add({"pooled", "all", std::to_string(c.stats->base_rep_geomean.n),
                   std::to_string(c.stats->patch_rep_geomean.n), mean_sd(c.stats->base_rep_geomean),
                   mean_sd(c.stats->patch_rep_geomean), pct_of_ratio(c.stats->ratio),
                   "[" + pct_of_ratio(c.stats->ratio_lo) + ", " + pct_of_ratio(c.stats->ratio_hi) + "]", ""});
        }
        out += t.render() + "\n";
        out += "(base/patch MB/s: mean ±sd over reps; pooled row: per-rep geometric mean over steps)\n\n";
    }
    out += "verdict: " + c.verdict + "\n";
    for (const auto& r : c.reasons) out += "  - " + r + "\n";
    if (!c.notes.empty()) {
        out += "notes:\n";
        for (const auto& n : c.notes) out += "  - " + n + "\n";
    }
    if (!c.predictions.empty()) {
        TextTable p({"metric", "predicted", "observed (" + std::to_string(conf) + " % CI)", "judgement"});
        for (const auto& j : c.predictions)
            p.add({j.prediction.metric, stats::describe_range(j.prediction), observed(j),
                   stats::to_string(j.judgement)});
        out += "\npredictions (Phase 5):\n" + p.render() + "\n";
    }
    return out;
}

nlohmann::json to_json(const RunComparison& c) {
    nlohmann::json j;
    j["baseline_run"] = c.base.id;
    j["patch_run"] = c.patch.id;
    j["baseline_patch"] = c.base.patch;
    j["patch"] = c.patch.patch;
    j["profile"] = c.patch.profile;
    j["rule"] = {{"expect", stats::to_string(c.rule.expect)}, {"margin_pct", 100 * c.rule.margin},
                 {"noise_band_pct", 100 * c.rule.noise_band}, {"confidence", c.rule.confidence}};
    j["verdict"] = c.verdict;
    j["exit_code"] = c.exit_code();
    j["reasons"] = c.reasons;
    j["notes"] = c.notes;
    j["baseline_reps"] = c.base_reps;
    j["patch_reps"] = c.patch_reps;
    auto steps = nlohmann::json::array();
    if (c.stats) {
        for (const auto& s : c.stats->steps) {
            steps.push_back({{"name", s.key.name}, {"direction", s.key.direction},
                             {"baseline", summary_json(s.base)}, {"patch", summary_json(s.patch)},
                             {"ratio", s.log_ratio ? nlohmann::json(s.ratio) : nlohmann::json()},
                             {"ratio_lo", s.log_ratio ? nlohmann::json(s.ratio_lo) : nlohmann::json()},
                             {"ratio_hi", s.log_ratio ? nlohmann::json(s.ratio_hi) : nlohmann::json()},
                             {"interval", opt_interval(s.log_ratio)}, {"regressed", s.regressed},
                             {"outside_margin", s.outside_margin}, {"outliers_baseline", s.outliers_base},
                             {"outliers_patch", s.outliers_patch}});
        }
    }
    j["steps"] = steps;
    if (c.stats && c.stats->pooled) {
        const auto& p = *c.stats->pooled;
        j["pooled"] = {{"model", "Welch on per-rep mean log throughput over steps"},
                       {"ratio", c.stats->ratio}, {"ratio_lo", c.stats->ratio_lo}, {"ratio_hi", c.stats->ratio_hi},
                       {"interval", opt_interval(p.ci)}, {"claim_interval", opt_interval(p.ci_claim)},
                       {"decision", stats::to_string(p.decision)}, {"reason", p.reason},
                       {"reps_needed", p.reps_needed ? nlohmann::json(*p.reps_needed) : nlohmann::json()},
                       {"baseline_rep_geomean", summary_json(c.stats->base_rep_geomean)},
                       {"patch_rep_geomean", summary_json(c.stats->patch_rep_geomean)},
                       {"outliers_baseline", c.stats->outliers_base}, {"outliers_patch", c.stats->outliers_patch}};
    } else {
        j["pooled"] = nullptr;
    }
    auto fps = nlohmann::json::array();
    for (const auto& k : c.new_fingerprints)
        fps.push_back({{"fingerprint", k.fingerprint}, {"class", k.cls}, {"title", k.title}, {"count", k.count},
                       {"first_offset_s", k.first_offset_s ? nlohmann::json(*k.first_offset_s) : nlohmann::json()}});
    j["new_kernel_signatures"] = fps;
    auto preds = nlohmann::json::array();
    for (const auto& m : c.predictions)
        preds.push_back({{"metric", m.prediction.metric}, {"predicted", m.prediction.spec},
                         {"relative", m.prediction.relative}, {"predicted_lo", m.prediction.lo},
                         {"predicted_hi", m.prediction.hi}, {"measured", m.measured},
                         {"observed", m.measured ? nlohmann::json(m.estimate) : nlohmann::json()},
                         {"observed_lo", m.measured ? nlohmann::json(m.lo) : nlohmann::json()},
                         {"observed_hi", m.measured ? nlohmann::json(m.hi) : nlohmann::json()},
                         {"judgement", stats::to_string(m.judgement)}, {"note", m.note}});
    j["predictions"] = preds;
    return j;
}

}  // namespace besrig::compare
