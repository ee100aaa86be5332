#include "phases/adapters/store_comparator.hpp"

#include "phases/compare/compare_runs.hpp"
#include "phases/compare/comparison_text.hpp"
#include "reports/store/store.hpp"
#include "util/error.hpp"

namespace besrig::phases {

nlohmann::json StoreComparator::compare(std::int64_t run_id, std::int64_t baseline_run, const std::string& expect) {
    stats::DecisionRule rule;
    rule.margin = config_.compare.margin_pct / 100.0;
    rule.noise_band = config_.compare.noise_band_pct / 100.0;
    rule.confidence = config_.compare.confidence;
    const auto e = stats::parse_expect(expect);
    if (!e) throw_usage("--expect " + expect + ": expected no-delta, improve or any");
    rule.expect = *e;
    const auto c = compare::compare_runs(store_, baseline_run, run_id, rule);

    nlohmann::json j;
    j["baseline_run"] = baseline_run;
    j["expect"] = expect;
    j["margin_pct"] = config_.compare.margin_pct;
    j["confidence"] = config_.compare.confidence;
    auto steps = nlohmann::json::array();
    if (c.stats) {
        for (const auto& s : c.stats->steps) {
            nlohmann::json row = {{"step", s.key.name}, {"direction", s.key.direction}, {"n_base", s.base.n},
                                  {"n_patch", s.patch.n}, {"base_mean", s.base.mean}, {"patch_mean", s.patch.mean}};
            if (s.log_ratio) {
                row["ratio"] = s.ratio;
                row["lo"] = s.ratio_lo;
                row["hi"] = s.ratio_hi;
            }
            steps.push_back(row);
        }
        if (c.stats->pooled) {
            j["pooled"] = {{"ratio", c.stats->ratio}, {"lo", c.stats->ratio_lo}, {"hi", c.stats->ratio_hi}};
            if (c.stats->pooled->reps_needed) j["reps_needed"] = *c.stats->pooled->reps_needed;
        }
        auto outliers = nlohmann::json::array();
        for (int r : c.stats->outliers_base) outliers.push_back("baseline rep " + std::to_string(r));
        for (int r : c.stats->outliers_patch) outliers.push_back("patch rep " + std::to_string(r));
        j["outliers"] = outliers;
    }
    j["steps"] = steps;
    j["decision"] = c.verdict;
    j["reasons"] = c.reasons;
    j["notes"] = c.notes;
    auto fps = nlohmann::json::array();
    for (const auto& f : c.new_fingerprints) fps.push_back({{"fingerprint", f.fingerprint}, {"title", f.title}, {"class", f.cls}});
    j["new_fingerprints"] = fps;

    auto preds = nlohmann::json::array();
    Stmt ins(store_.db(),
             "INSERT INTO verdict_metrics (run_id, metric, predicted, observed, lo, hi, judgement) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (const auto& m : c.predictions) {
        const std::string judgement = stats::to_string(m.judgement);
        preds.push_back({{"metric", m.prediction.metric}, {"spec", m.prediction.spec}, {"measured", m.measured},
                         {"estimate", m.estimate}, {"lo", m.lo}, {"hi", m.hi}, {"judgement", judgement}, {"note", m.note}});
        ins.bind(1, run_id).bind(2, m.prediction.metric).bind(3, m.prediction.spec);
        if (m.measured) {
            ins.bind(4, m.estimate).bind(5, m.lo).bind(6, m.hi);
        } else {
            ins.bind_null(4).bind_null(5).bind_null(6);
        }
        ins.bind(7, judgement);
        ins.exec();
    }
    j["predictions"] = preds;
    for (const auto& p : preds)
        if (p["metric"] == "throughput") j["prediction"] = {{"spec", "throughput=" + p["spec"].get<std::string>()}, {"judgement", p["judgement"]}};
    j["stats"] = compare::to_json(c);
    return j;
}

}  // namespace besrig::phases
