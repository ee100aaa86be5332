// The results store: one SQLite file holding every run, sample, kernel event
// and artifact. Opening it migrates the schema and marks runs left open by a
// controller that died as aborted (their data stays).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reports/store/sqlite.hpp"

namespace besrig {

struct RunRecord {
    std::int64_t id = 0;
    std::string kind;  // phase5 | phase6 | phase7 | baseline | deploy | ...
    std::string patch;
    std::string build_sha256;
    std::string rig;
    std::string kernel_release;
    std::string profile;
    std::string status;  // running | finished | aborted
    std::string verdict;
    std::string reason;
    std::optional<int> exit_code;
    bool is_baseline = false;
    std::optional<std::int64_t> baseline_run;
    bool rollback_pending = false;
    double started_at = 0;
    std::optional<double> finished_at;
    std::string host;
    std::int64_t pid = 0;
    std::string command;
};

struct NewRun {
    std::string kind;
    std::string patch;
    std::string rig;
    std::string kernel_release;
    std::string profile;
    std::string command;
    std::string config_json = "{}";
    bool is_baseline = false;
    std::optional<std::int64_t> baseline_run;
};

struct RunFilter {
    std::optional<std::string> patch;
    std::optional<std::string> kind;
    std::optional<double> since;  // unix time
    int limit = 50;
};

class Store {
public:
    // Opens or creates the store, migrates it and closes stale runs.
    explicit Store(const std::filesystem::path& path);

    Db& db() { return db_; }
    const std::filesystem::path& path() const { return db_.path(); }
    // Runs marked aborted when this Store was opened.
    const std::vector<std::int64_t>& aborted_on_open() const { return aborted_on_open_; }

    std::int64_t begin_run(const NewRun& run);
    void set_run_build(std::int64_t run_id, const std::string& sha256);
    void set_run_kernel(std::int64_t run_id, const std::string& release);
    void set_rollback_pending(std::int64_t run_id, bool pending);
    void set_run_details(std::int64_t run_id, const std::string& details_json);
    void finish_run(std::int64_t run_id, const std::string& verdict, const std::string& reason, int exit_code);
    void abort_run(std::int64_t run_id, const std::string& reason);
    void log(std::int64_t run_id, const std::string& level, const std::string& step, const std::string& message,
             std::optional<double> seconds = std::nullopt);

    std::optional<RunRecord> run(std::int64_t id);
    std::vector<RunRecord> runs(const RunFilter& filter);
    // Runs whose rollback could not be done (board unreachable) and is still owed.
    std::vector<RunRecord> rollback_pending();

    // Marks `running` runs of this host whose controller process is gone as
    // aborted. Returns their ids.
    std::vector<std::int64_t> mark_stale_runs_aborted();

private:
    Db db_;
    std::vector<std::int64_t> aborted_on_open_;
};

// Identity of a process instance (its start time), so a reused PID is not
// mistaken for the controller that opened a run.
std::string process_start_token(std::int64_t pid);
std::string this_host();
// The default store path: $XDG_DATA_HOME/besrig/besrig.db.
std::filesystem::path default_store_path();

}  // namespace besrig
