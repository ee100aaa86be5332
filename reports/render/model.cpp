#include "reports/render/model.hpp"

#include <algorithm>
#include <set>

#include "util/error.hpp"

namespace besrig {
namespace {

nlohmann::json parse_json_column(const std::string& text, std::int64_t run_id, const std::string& what) {
    if (text.empty()) return nlohmann::json::object();
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw_infra("run " + std::to_string(run_id) + ": " + what + " in the store is not JSON (" + e.what() + ")");
    }
}

std::optional<BuildInfo> load_build(Db& db, const std::string& sha256) {
    if (sha256.empty()) return std::nullopt;
    Stmt s(db,
           "SELECT sha256, patch, srcversion, vermagic, version, kernel_release, source_rev, size "
           "FROM builds WHERE sha256 = ?1");
    s.bind(1, sha256);
    if (!s.step()) return std::nullopt;
    BuildInfo b;
    b.sha256 = s.get_text(0);
    b.patch = s.get_text(1);
    b.srcversion = s.get_text(2);
    b.vermagic = s.get_text(3);
    b.version = s.get_text(4);
    b.kernel_release = s.get_text(5);
    b.source_rev = s.get_text(6);
    b.size = s.get_int(7);
    return b;
}

void load_samples(Db& db, std::int64_t step_id, StepRecord& step) {
    Stmt s(db, "SELECT t, mbytes_per_s, omitted FROM samples WHERE step_id = ?1 ORDER BY t");
    s.bind(1, step_id);
    while (s.step()) step.samples.push_back({s.get_double(0), s.get_double(1), s.get_int(2) != 0});
}

void load_steps(Db& db, std::int64_t rep_id, RepRecord& rep, bool with_samples) {
    Stmt s(db,
           "SELECT id, idx, name, direction, rate_mbytes, streams, seconds, omit, started_at, finished_at, "
           "status, mean_mbytes, error FROM steps WHERE rep_id = ?1 ORDER BY idx");
    s.bind(1, rep_id);
    while (s.step()) {
        StepRecord st;
        st.idx = static_cast<int>(s.get_int(1));
        st.name = s.get_text(2);
        st.direction = s.get_text(3);
        st.rate_mbytes = s.get_double(4);
        st.streams = static_cast<int>(s.get_int(5));
        st.seconds = static_cast<int>(s.get_int(6));
        st.omit = static_cast<int>(s.get_int(7));
        st.started_at = s.get_double(8);
        st.finished_at = s.get_opt_double(9);
        st.status = s.get_text(10);
        st.mean_mbytes = s.get_opt_double(11);
        st.error = s.get_text(12);
        if (with_samples) load_samples(db, s.get_int(0), st);
        rep.steps.push_back(std::move(st));
    }
}

void load_dispatch(Db& db, std::int64_t rep_id, RepRecord& rep) {
    Stmt s(db, "SELECT t, function, count FROM dispatch_counts WHERE rep_id = ?1 ORDER BY function, t");
    s.bind(1, rep_id);
    while (s.step()) rep.dispatch[s.get_text(1)].push_back({s.get_double(0), s.get_int(2)});
}

std::vector<RepRecord> load_reps(Db& db, std::int64_t run_id, bool with_samples) {
    std::vector<RepRecord> reps;
    Stmt s(db,
           "SELECT id, idx, patch, uptime_start_s, started_at, finished_at, status, counters_before, "
           "counters_after, identity_before, identity_after FROM reps WHERE run_id = ?1 ORDER BY idx");
    s.bind(1, run_id);
    while (s.step()) {
        RepRecord r;
        const auto rep_id = s.get_int(0);
        r.idx = static_cast<int>(s.get_int(1));
        r.patch = s.get_text(2);
        r.uptime_start_s = s.get_opt_double(3);
        r.started_at = s.get_double(4);
        r.finished_at = s.get_opt_double(5);
        r.status = s.get_text(6);
        r.counters_before = parse_json_column(s.get_text(7), run_id, "rep " + std::to_string(r.idx) + " counters_before");
        r.counters_after = parse_json_column(s.get_text(8), run_id, "rep " + std::to_string(r.idx) + " counters_after");
        r.identity_before = s.get_text(9);
        r.identity_after = s.get_text(10);
        load_steps(db, rep_id, r, with_samples);
        if (with_samples) load_dispatch(db, rep_id, r);
        reps.push_back(std::move(r));
    }
    return reps;
}

std::vector<KernelEventRecord> load_events(Db& db, std::int64_t run_id) {
    std::vector<KernelEventRecord> out;
    Stmt s(db,
           "SELECT rep_idx, step_name, offset_s, class, title, fingerprint, function, module, count, severity, report "
           "FROM kernel_events WHERE run_id = ?1 ORDER BY rep_idx, offset_s, id");
    s.bind(1, run_id);
    while (s.step()) {
        KernelEventRecord e;
        if (auto r = s.get_opt_int(0)) e.rep_idx = static_cast<int>(*r);
        e.step_name = s.get_text(1);
        e.offset_s = s.get_opt_double(2);
        e.cls = s.get_text(3);
        e.title = s.get_text(4);
        e.fingerprint = s.get_text(5);
        e.function = s.get_text(6);
        e.module = s.get_text(7);
        e.count = s.get_int(8);
        e.severity = s.get_text(9);
        e.report = s.get_text(10);
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<ArtifactRecord> load_artifacts(Db& db, std::int64_t run_id) {
    std::vector<ArtifactRecord> out;
    Stmt s(db, "SELECT name, path, sha256, size, status, seconds, error FROM artifacts WHERE run_id = ?1 ORDER BY id");
    s.bind(1, run_id);
    while (s.step())
        out.push_back({s.get_text(0), s.get_text(1), s.get_text(2), s.get_int(3), s.get_text(4), s.get_double(5),
                       s.get_text(6)});
    return out;
}

std::vector<ReceiptRecord> load_receipts(Db& db, std::int64_t run_id) {
    std::vector<ReceiptRecord> out;
    Stmt s(db, "SELECT item, ok, detail FROM receipts WHERE run_id = ?1 ORDER BY id");
    s.bind(1, run_id);
    while (s.step()) out.push_back({s.get_text(0), s.get_int(1) != 0, s.get_text(2)});
    return out;
}

std::vector<VerdictMetricRecord> load_metrics(Db& db, std::int64_t run_id) {
    std::vector<VerdictMetricRecord> out;
    Stmt s(db,
           "SELECT metric, predicted, observed, lo, hi, judgement FROM verdict_metrics WHERE run_id = ?1 ORDER BY id");
    s.bind(1, run_id);
    while (s.step())
        out.push_back({s.get_text(0), s.get_text(1), s.get_opt_double(2), s.get_opt_double(3), s.get_opt_double(4),
                       s.get_text(5)});
    return out;
}

std::string details_text(Db& db, std::int64_t run_id) {
    Stmt s(db, "SELECT details_json FROM runs WHERE id = ?1");
    s.bind(1, run_id);
    return s.step() ? s.get_text(0) : std::string();
}

std::vector<const RepRecord*> reps_of(const std::vector<RepRecord>& reps, const std::string& patch) {
    std::vector<const RepRecord*> out;
    for (const auto& r : reps)
        if (r.patch.empty() || r.patch == patch) out.push_back(&r);
    return out;
}

}  // namespace

std::optional<double> RepRecord::dispatch_rate(const std::string& function) const {
    const auto it = dispatch.find(function);
    if (it == dispatch.end() || it->second.empty()) return std::nullopt;
    double sum = 0;
    for (const auto& p : it->second) sum += static_cast<double>(p.count);
    return sum / static_cast<double>(it->second.size());
}

const StepRecord* RepRecord::step(const std::string& name) const {
    for (const auto& s : steps)
        if (s.name == name) return &s;
    return nullptr;
}

std::vector<std::string> ReportModel::step_names() const {
    std::vector<std::string> names;
    for (const auto& r : reps)
        for (const auto& s : r.steps)
            if (std::find(names.begin(), names.end(), s.name) == names.end()) names.push_back(s.name);
    if (baseline)
        for (const auto& s : baseline->steps)
            if (std::find(names.begin(), names.end(), s.name) == names.end()) names.push_back(s.name);
    return names;
}

std::vector<std::string> ReportModel::dispatch_functions() const {
    std::set<std::string> fns;
    for (const auto& r : reps)
        for (const auto& [fn, points] : r.dispatch) fns.insert(fn);
    return {fns.begin(), fns.end()};
}

std::vector<const RepRecord*> ReportModel::patch_reps() const { return reps_of(reps, run.patch); }

std::optional<double> ReportModel::duration_s() const {
    if (!run.finished_at) return std::nullopt;
    return *run.finished_at - run.started_at;
}

std::vector<StepSummary> summarize_steps(const std::vector<const RepRecord*>& reps) {
    std::vector<StepSummary> out;
    for (const auto* rep : reps) {
        for (const auto& st : rep->steps) {
            auto it = std::find_if(out.begin(), out.end(), [&](const StepSummary& s) { return s.name == st.name; });
            if (it == out.end()) {
                out.push_back({st.name, st.direction, 0, {}, {}, {}, {}});
                it = out.end() - 1;
            }
        }
    }
    for (auto& sum : out) {
        std::vector<double> values;
        for (const auto* rep : reps)
            if (const auto* st = rep->step(sum.name); st && st->mean_mbytes) values.push_back(*st->mean_mbytes);
        sum.n = static_cast<int>(values.size());
        if (values.empty()) continue;
        std::sort(values.begin(), values.end());
        double total = 0;
        for (double v : values) total += v;
        sum.mean = total / static_cast<double>(values.size());
        const auto mid = values.size() / 2;
        sum.median = values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
        sum.min = values.front();
        sum.max = values.back();
    }
    return out;
}

ReportModel load_report_model(Store& store, std::int64_t run_id) {
    auto run = store.run(run_id);
    if (!run) throw_usage("no run " + std::to_string(run_id) + " in " + store.path().string() + " (see besrig history)");
    auto& db = store.db();
    ReportModel m;
    m.run = *run;
    m.build = load_build(db, run->build_sha256);
    m.reps = load_reps(db, run_id, true);
    m.events = load_events(db, run_id);
    m.artifacts = load_artifacts(db, run_id);
    m.receipts = load_receipts(db, run_id);
    m.metrics = load_metrics(db, run_id);
    m.details = parse_json_column(details_text(db, run_id), run_id, "details_json");
    if (!m.details.is_object()) throw_infra("run " + std::to_string(run_id) + ": details_json is not a JSON object");
    m.steps = summarize_steps(m.patch_reps());
    if (run->baseline_run) {
        if (auto base = store.run(*run->baseline_run)) {
            BaselineSummary b;
            b.run = *base;
            b.build = load_build(db, base->build_sha256);
            const auto base_reps = load_reps(db, base->id, false);
            b.steps = summarize_steps(reps_of(base_reps, base->patch));
            m.baseline = std::move(b);
        }
    }
    return m;
}

}  // namespace besrig
