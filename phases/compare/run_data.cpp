#include "phases/compare/run_data.hpp"

#include <cstdio>

#include "util/error.hpp"

namespace besrig::compare {

std::string StepData::shape() const {
    char buf[160];
    std::snprintf(buf, sizeof buf, "#%d %s %s %g MB/s x%d %ds omit %ds", idx, name.c_str(), direction.c_str(),
                  rate_mbytes, streams, seconds, omit);
    return buf;
}

namespace {

std::vector<StepData> read_steps(Store& store, std::int64_t rep_id) {
    std::vector<StepData> out;
    Stmt q(store.db(),
           "SELECT s.idx, s.name, s.direction, s.rate_mbytes, s.streams, s.seconds, s.omit, s.status, s.mean_mbytes,"
           " (SELECT COUNT(*) FROM samples m WHERE m.step_id = s.id AND m.omitted = 0),"
           " (SELECT AVG(m.mbytes_per_s) FROM samples m WHERE m.step_id = s.id AND m.omitted = 0)"
           " FROM steps s WHERE s.rep_id = ? ORDER BY s.idx");
    q.bind(1, rep_id);
    while (q.step()) {
        StepData s;
        s.idx = static_cast<int>(q.get_int(0));
        s.name = q.get_text(1);
        s.direction = q.get_text(2);
        s.rate_mbytes = q.get_double(3);
        s.streams = static_cast<int>(q.get_int(4));
        s.seconds = static_cast<int>(q.get_int(5));
        s.omit = static_cast<int>(q.get_int(6));
        s.status = q.get_text(7);
        s.samples = static_cast<int>(q.get_int(9));
        s.mean_mbytes = s.samples > 0 ? q.get_opt_double(10) : q.get_opt_double(8);
        out.push_back(std::move(s));
    }
    return out;
}

std::map<std::string, double> read_dispatch_rates(Store& store, std::int64_t rep_id) {
    // Mean count per sampled second; counts are per-second buckets (rig/ftrace).
    std::map<std::string, double> out;
    Stmt q(store.db(), "SELECT function, AVG(count) FROM dispatch_counts WHERE rep_id = ? GROUP BY function");
    q.bind(1, rep_id);
    while (q.step()) out[q.get_text(0)] = q.get_double(1);
    return out;
}

}  // namespace

RunData read_run_data(Store& store, std::int64_t run_id) {
    RunData d;
    auto run = store.run(run_id);
    if (!run) throw_usage("no run " + std::to_string(run_id) + " in " + store.path().string() + " (see besrig history)");
    d.run = *run;
    {
        Stmt q(store.db(), "SELECT config_json FROM runs WHERE id = ?");
        q.bind(1, run_id);
        if (q.step()) d.config_json = q.get_text(0);
    }
    // Only the run's own patch: an interleaved run also holds the rollback
    // build's reps, which must never count as the patch's (rows from before
    // reps carried a patch have it empty).
    Stmt reps(store.db(),
              "SELECT id, idx, status FROM reps WHERE run_id = ? AND (patch = '' OR patch = ?) ORDER BY idx");
    reps.bind(1, run_id);
    reps.bind(2, d.run.patch);
    while (reps.step()) {
        RepData r;
        r.id = reps.get_int(0);
        r.idx = static_cast<int>(reps.get_int(1));
        r.status = reps.get_text(2);
        d.reps.push_back(std::move(r));
    }
    for (auto& r : d.reps) {
        r.steps = read_steps(store, r.id);
        r.dispatch_rates = read_dispatch_rates(store, r.id);
    }
    Stmt ev(store.db(),
            "SELECT fingerprint, MIN(class), MIN(title), SUM(count), MIN(offset_s) FROM kernel_events"
            " WHERE run_id = ? AND severity = 'fail' GROUP BY fingerprint ORDER BY MIN(id)");
    ev.bind(1, run_id);
    while (ev.step()) {
        KernelFingerprint k;
        k.fingerprint = ev.get_text(0);
        k.cls = ev.get_text(1);
        k.title = ev.get_text(2);
        k.count = ev.get_int(3);
        k.first_offset_s = ev.get_opt_double(4);
        d.failing.push_back(std::move(k));
    }
    return d;
}

std::optional<std::int64_t> latest_baseline_for(Store& store, const RunRecord& run) {
    Stmt q(store.db(),
           "SELECT id FROM runs WHERE is_baseline = 1 AND status = 'finished' AND id != ? AND rig = ?"
           " AND kernel_release = ? AND profile = ? AND started_at <= ? ORDER BY started_at DESC, id DESC LIMIT 1");
    q.bind(1, run.id).bind(2, run.rig).bind(3, run.kernel_release).bind(4, run.profile).bind(5, run.started_at);
    if (q.step()) return q.get_int(0);
    return std::nullopt;
}

}  // namespace besrig::compare
