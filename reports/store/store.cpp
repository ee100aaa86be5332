#include "reports/store/store.hpp"

#include <fstream>
#include <sstream>
#include <unistd.h>

#include "reports/store/schema.hpp"
#include "util/fs.hpp"
#include "util/process.hpp"
#include "util/terminal.hpp"

namespace besrig {
namespace {

constexpr const char* k_run_columns =
    "id, kind, patch, build_sha256, rig, kernel_release, profile, status, verdict, reason, exit_code, "
    "is_baseline, baseline_run, rollback_pending, started_at, finished_at, host, pid, command";

RunRecord read_run(const Stmt& s) {
    RunRecord r;
    r.id = s.get_int(0);
    r.kind = s.get_text(1);
    r.patch = s.get_text(2);
    r.build_sha256 = s.get_text(3);
    r.rig = s.get_text(4);
    r.kernel_release = s.get_text(5);
    r.profile = s.get_text(6);
    r.status = s.get_text(7);
    r.verdict = s.get_text(8);
    r.reason = s.get_text(9);
    if (auto e = s.get_opt_int(10)) r.exit_code = static_cast<int>(*e);
    r.is_baseline = s.get_int(11) != 0;
    r.baseline_run = s.get_opt_int(12);
    r.rollback_pending = s.get_int(13) != 0;
    r.started_at = s.get_double(14);
    r.finished_at = s.get_opt_double(15);
    r.host = s.get_text(16);
    r.pid = s.get_int(17);
    r.command = s.get_text(18);
    return r;
}

}  // namespace

std::string process_start_token(std::int64_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!in || !std::getline(in, stat)) return "";
    // Field 22 (starttime) counts from after the ")" that closes the command name.
    const auto close = stat.rfind(')');
    if (close == std::string::npos) return "";
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && rest >> field; ++i) {
    }
    return field;
}

std::string this_host() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
    return buf;
}

std::filesystem::path default_store_path() { return xdg_data_home() / "besrig" / "besrig.db"; }

Store::Store(const std::filesystem::path& path) : db_(path) {
    migrate(db_);
    aborted_on_open_ = mark_stale_runs_aborted();
}

std::int64_t Store::begin_run(const NewRun& run) {
    const auto pid = static_cast<std::int64_t>(::getpid());
    Stmt s(db_,
           "INSERT INTO runs (kind, patch, rig, kernel_release, profile, status, is_baseline, baseline_run, "
           "started_at, host, pid, pid_start, command, config_json) "
           "VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    s.bind(1, run.kind).bind(2, run.patch).bind(3, run.rig).bind(4, run.kernel_release).bind(5, run.profile);
    s.bind(6, run.is_baseline ? 1 : 0).bind(7, run.baseline_run).bind(8, unix_now()).bind(9, this_host());
    s.bind(10, pid).bind(11, process_start_token(pid)).bind(12, run.command).bind(13, run.config_json);
    s.exec();
    return db_.last_insert_id();
}

void Store::set_run_build(std::int64_t run_id, const std::string& sha256) {
    Stmt(db_, "UPDATE runs SET build_sha256 = ?1 WHERE id = ?2").bind(1, sha256).bind(2, run_id).exec();
}

void Store::set_run_kernel(std::int64_t run_id, const std::string& release) {
    Stmt(db_, "UPDATE runs SET kernel_release = ?1 WHERE id = ?2").bind(1, release).bind(2, run_id).exec();
}

void Store::set_rollback_pending(std::int64_t run_id, bool pending) {
    Stmt(db_, "UPDATE runs SET rollback_pending = ?1 WHERE id = ?2").bind(1, pending ? 1 : 0).bind(2, run_id).exec();
}

void Store::set_run_details(std::int64_t run_id, const std::string& details_json) {
    Stmt(db_, "UPDATE runs SET details_json = ?1 WHERE id = ?2").bind(1, details_json).bind(2, run_id).exec();
}

void Store::finish_run(std::int64_t run_id, const std::string& verdict, const std::string& reason, int exit_code) {
    Stmt(db_,
         "UPDATE runs SET status = 'finished', verdict = ?1, reason = ?2, exit_code = ?3, finished_at = ?4 "
         "WHERE id = ?5")
        .bind(1, verdict)
        .bind(2, reason)
        .bind(3, exit_code)
        .bind(4, unix_now())
        .bind(5, run_id)
        .exec();
}

void Store::abort_run(std::int64_t run_id, const std::string& reason) {
    Stmt(db_,
         "UPDATE runs SET status = 'aborted', verdict = CASE verdict WHEN '' THEN 'ABORTED' ELSE verdict END, "
         "reason = ?1, finished_at = ?2 WHERE id = ?3 AND status = 'running'")
        .bind(1, reason)
        .bind(2, unix_now())
        .bind(3, run_id)
        .exec();
}

void Store::log(std::int64_t run_id, const std::string& level, const std::string& step, const std::string& message,
                std::optional<double> seconds) {
    Stmt(db_, "INSERT INTO run_log (run_id, at, level, step, message, seconds) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, run_id)
        .bind(2, unix_now())
        .bind(3, level)
        .bind(4, step)
        .bind(5, message)
        .bind(6, seconds)
        .exec();
}

std::optional<RunRecord> Store::run(std::int64_t id) {
    Stmt s(db_, std::string("SELECT ") + k_run_columns + " FROM runs WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_run(s);
}

std::vector<RunRecord> Store::runs(const RunFilter& filter) {
    Stmt s(db_, std::string("SELECT ") + k_run_columns +
                    " FROM runs WHERE (?1 IS NULL OR patch = ?1) AND (?2 IS NULL OR kind = ?2) "
                    "AND (?3 IS NULL OR started_at >= ?3) ORDER BY started_at DESC, id DESC LIMIT ?4");
    s.bind(1, filter.patch).bind(2, filter.kind).bind(3, filter.since).bind(4, filter.limit);
    std::vector<RunRecord> out;
    while (s.step()) out.push_back(read_run(s));
    return out;
}

std::vector<RunRecord> Store::rollback_pending() {
    Stmt s(db_, std::string("SELECT ") + k_run_columns + " FROM runs WHERE rollback_pending = 1 ORDER BY id");
    std::vector<RunRecord> out;
    while (s.step()) out.push_back(read_run(s));
    return out;
}

std::vector<std::int64_t> Store::mark_stale_runs_aborted() {
    std::vector<std::pair<std::int64_t, std::int64_t>> stale;
    {
        Stmt s(db_, "SELECT id, pid, pid_start FROM runs WHERE status = 'running' AND host = ?1");
        s.bind(1, this_host());
        while (s.step()) {
            const auto pid = s.get_int(1);
            const bool alive = process_alive(static_cast<pid_t>(pid)) && process_start_token(pid) == s.get_text(2);
            if (!alive) stale.emplace_back(s.get_int(0), pid);
        }
    }
    std::vector<std::int64_t> ids;
    for (const auto& [id, pid] : stale) {
        abort_run(id, "the controller (pid " + std::to_string(pid) +
                          ") exited without closing the run; everything stored before that is kept");
        ids.push_back(id);
    }
    return ids;
}

}  // namespace besrig
