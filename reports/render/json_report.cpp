#include "reports/render/json_report.hpp"

#include "reports/render/timeline.hpp"

namespace besrig::report {
namespace {

using nlohmann::json;

template <typename T>
json opt(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}

json run_json(const ReportModel& m) {
    const auto& r = m.run;
    return {{"id", r.id},
            {"kind", r.kind},
            {"patch", r.patch},
            {"rig", r.rig},
            {"kernel_release", r.kernel_release},
            {"profile", r.profile},
            {"status", r.status},
            {"verdict", r.verdict.empty() ? json(nullptr) : json(r.verdict)},
            {"reason", r.reason},
            {"exit_code", opt(r.exit_code)},
            {"is_baseline", r.is_baseline},
            {"baseline_run", opt(r.baseline_run)},
            {"started_at", r.started_at},
            {"finished_at", opt(r.finished_at)},
            {"duration_s", opt(m.duration_s())},
            {"build_sha256", r.build_sha256.empty() ? json(nullptr) : json(r.build_sha256)},
            {"command", r.command}};
}

json build_json(const std::optional<BuildInfo>& b) {
    if (!b) return nullptr;
    return {{"sha256", b->sha256}, {"patch", b->patch}, {"srcversion", b->srcversion}, {"vermagic", b->vermagic},
            {"version", b->version}, {"kernel_release", b->kernel_release}, {"source_rev", b->source_rev},
            {"size", b->size}};
}

json summary_json(const std::vector<StepSummary>& steps) {
    json out = json::array();
    for (const auto& s : steps)
        out.push_back({{"step", s.name}, {"direction", s.direction}, {"n", s.n}, {"mean", opt(s.mean)},
                       {"median", opt(s.median)}, {"min", opt(s.min)}, {"max", opt(s.max)}});
    return out;
}

json rep_json(const RepRecord& rep, const std::vector<std::string>& functions) {
    json steps = json::array();
    for (const auto& s : rep.steps) {
        json samples = json::array();
        for (const auto& p : s.samples) samples.push_back(json::array({p.t, p.mbytes_per_s, p.omitted}));
        steps.push_back({{"idx", s.idx}, {"name", s.name}, {"direction", s.direction},
                         {"rate_mbytes", s.rate_mbytes}, {"streams", s.streams}, {"seconds", s.seconds},
                         {"omit", s.omit}, {"status", s.status}, {"mean_mbytes", opt(s.mean_mbytes)},
                         {"error", s.error}, {"samples", samples}});
    }
    json rates = json::object();
    for (const auto& f : functions) rates[f] = opt(rep.dispatch_rate(f));
    return {{"idx", rep.idx},
            {"patch", rep.patch},
            {"uptime_start_s", opt(rep.uptime_start_s)},
            {"status", rep.status},
            {"started_at", rep.started_at},
            {"finished_at", opt(rep.finished_at)},
            {"identity_before", rep.identity_before},
            {"identity_after", rep.identity_after},
            {"counters_before", rep.counters_before},
            {"counters_after", rep.counters_after},
            {"dispatch_per_s", rates},
            {"steps", steps}};
}

}  // namespace

nlohmann::json report_json(const ReportModel& m) {
    json out = {{"schema", k_report_schema}, {"run", run_json(m)}, {"build", build_json(m.build)}};
    const auto fns = m.dispatch_functions();
    json reps = json::array();
    for (const auto& r : m.reps) reps.push_back(rep_json(r, fns));
    out["reps"] = reps;
    out["summary"] = summary_json(m.steps);
    if (m.baseline) {
        out["baseline"] = {{"run_id", m.baseline->run.id},
                           {"patch", m.baseline->run.patch},
                           {"srcversion", m.baseline->build ? json(m.baseline->build->srcversion) : json(nullptr)},
                           {"started_at", m.baseline->run.started_at},
                           {"summary", summary_json(m.baseline->steps)}};
    } else {
        out["baseline"] = nullptr;
    }
    out["comparison"] = m.details.contains("comparison") ? m.details["comparison"] : json(nullptr);
    json metrics = json::array();
    for (const auto& v : m.metrics)
        metrics.push_back({{"metric", v.metric}, {"predicted", v.predicted}, {"observed", opt(v.observed)},
                           {"lo", opt(v.lo)}, {"hi", opt(v.hi)},
                           {"judgement", v.judgement.empty() ? json(nullptr) : json(v.judgement)}});
    out["predictions"] = metrics;
    json receipts = json::array();
    for (const auto& r : m.receipts) receipts.push_back({{"item", r.item}, {"ok", r.ok}, {"detail", r.detail}});
    out["receipts"] = receipts;
    json events = json::array();
    for (const auto& e : m.events)
        events.push_back({{"rep", opt(e.rep_idx)}, {"step", e.step_name}, {"offset_s", opt(e.offset_s)},
                          {"class", e.cls}, {"title", e.title}, {"fingerprint", e.fingerprint},
                          {"function", e.function}, {"module", e.module}, {"count", e.count},
                          {"severity", e.severity}, {"report", e.report}});
    out["kernel_events"] = events;
    json timeline = json::array();
    for (const auto& t : build_timeline(m))
        timeline.push_back({{"rep", opt(t.rep)}, {"offset_s", opt(t.offset_s)}, {"kind", t.kind},
                            {"severity", t.severity}, {"text", t.text}});
    out["timeline"] = timeline;
    json artifacts = json::array();
    for (const auto& a : m.artifacts)
        artifacts.push_back({{"name", a.name}, {"path", a.path}, {"sha256", a.sha256.empty() ? json(nullptr) : json(a.sha256)},
                             {"size", a.size}, {"status", a.status}, {"seconds", a.seconds}, {"error", a.error}});
    out["artifacts"] = artifacts;
    out["details"] = m.details;
    return out;
}

}  // namespace besrig::report
