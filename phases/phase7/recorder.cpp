#include "phases/phase7/recorder.hpp"

#include <nlohmann/json.hpp>

#include "reports/store/store.hpp"
#include "util/terminal.hpp"

namespace besrig::phase7 {
namespace {

std::string to_json(const std::map<std::string, std::string>& m) { return nlohmann::json(m).dump(); }

}  // namespace

std::int64_t Recorder::begin_rep(int idx, const std::string& patch, double uptime_s, const std::string& identity,
                                 const std::map<std::string, std::string>& counters) {
    Stmt(store_.db(),
         "INSERT INTO reps (run_id, idx, patch, uptime_start_s, started_at, status, counters_before, identity_before) "
         "VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6, ?7)")
        .bind(1, run_id_)
        .bind(2, idx)
        .bind(3, patch)
        .bind(4, uptime_s)
        .bind(5, unix_now())
        .bind(6, to_json(counters))
        .bind(7, identity)
        .exec();
    return store_.db().last_insert_id();
}

void Recorder::end_rep(std::int64_t rep_id, const std::string& status, const std::string& identity_after,
                       const std::map<std::string, std::string>& counters) {
    Stmt(store_.db(),
         "UPDATE reps SET status = ?1, identity_after = ?2, counters_after = ?3, finished_at = ?4 WHERE id = ?5")
        .bind(1, status)
        .bind(2, identity_after)
        .bind(3, to_json(counters))
        .bind(4, unix_now())
        .bind(5, rep_id)
        .exec();
}

std::int64_t Recorder::begin_step(std::int64_t rep_id, int idx, const StepConfig& step) {
    Stmt(store_.db(),
         "INSERT INTO steps (rep_id, idx, name, direction, rate_mbytes, streams, seconds, omit, started_at, status) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'running')")
        .bind(1, rep_id)
        .bind(2, idx)
        .bind(3, step.name)
        .bind(4, step.direction)
        .bind(5, step.rate_mbytes)
        .bind(6, step.streams)
        .bind(7, step.seconds)
        .bind(8, step.omit)
        .bind(9, unix_now())
        .exec();
    return store_.db().last_insert_id();
}

void Recorder::sample(std::int64_t step_id, double t, double mbytes_per_s, bool omitted) {
    Stmt(store_.db(), "INSERT OR REPLACE INTO samples (step_id, t, mbytes_per_s, omitted) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, step_id)
        .bind(2, t)
        .bind(3, mbytes_per_s)
        .bind(4, omitted ? 1 : 0)
        .exec();
}

void Recorder::dispatch(std::int64_t rep_id, double t, const std::map<std::string, std::int64_t>& counts) {
    if (counts.empty()) return;
    Transaction tx(store_.db());
    Stmt s(store_.db(), "INSERT OR REPLACE INTO dispatch_counts (rep_id, t, function, count) VALUES (?1, ?2, ?3, ?4)");
    for (const auto& [fn, n] : counts) {
        s.bind(1, rep_id).bind(2, t).bind(3, fn).bind(4, n);
        s.exec();
    }
    tx.commit();
}

void Recorder::end_step(std::int64_t step_id, const std::string& status, const std::string& error,
                        const std::string& client_version, const std::string& server_version) {
    Stmt(store_.db(),
         "UPDATE steps SET status = ?1, error = ?2, iperf3_version_client = ?3, iperf3_version_server = ?4, "
         "finished_at = ?5, mean_mbytes = (SELECT avg(mbytes_per_s) FROM samples WHERE step_id = ?6 AND omitted = 0) "
         "WHERE id = ?6")
        .bind(1, status)
        .bind(2, error)
        .bind(3, client_version)
        .bind(4, server_version)
        .bind(5, unix_now())
        .bind(6, step_id)
        .exec();
}

void Recorder::receipt(const std::string& item, bool ok, const std::string& detail) {
    Stmt(store_.db(), "INSERT INTO receipts (run_id, item, ok, detail) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, run_id_)
        .bind(2, item)
        .bind(3, ok ? 1 : 0)
        .bind(4, detail)
        .exec();
}

void Recorder::log(const std::string& level, const std::string& step, const std::string& message) {
    store_.log(run_id_, level, step, message);
}

}  // namespace besrig::phase7
