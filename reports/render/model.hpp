// The report model: everything stored about one run, loaded once into plain
// structs so every renderer (Markdown, HTML, JSON, JUnit, `show`) reads the
// same facts and none of them touches SQL. The loader derives nothing that
// could change a verdict: the judgement comes from `runs.details_json` and the
// verdict tables (docs/run-details.md). What the store does not hold stays an
// empty optional, and renderers print "not measured" for it, never a zero.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "reports/store/store.hpp"

namespace besrig {

struct BuildInfo {
    std::string sha256;
    std::string patch;
    std::string srcversion;
    std::string vermagic;
    std::string version;
    std::string kernel_release;
    std::string source_rev;
    std::int64_t size = 0;
};

struct SamplePoint {
    double t = 0;  // seconds since the step started
    double mbytes_per_s = 0;
    bool omitted = false;
};

struct StepRecord {
    int idx = 0;
    std::string name;
    std::string direction;  // rx | tx
    double rate_mbytes = 0;  // 0 = unlimited
    int streams = 1;
    int seconds = 0;
    int omit = 0;
    double started_at = 0;
    std::optional<double> finished_at;
    std::string status;
    std::optional<double> mean_mbytes;
    std::string error;
    std::vector<SamplePoint> samples;
};

struct DispatchPoint {
    double t = 0;  // seconds since stress start of the rep
    std::int64_t count = 0;
};

struct RepRecord {
    int idx = 0;
    std::string patch;
    std::optional<double> uptime_start_s;
    double started_at = 0;
    std::optional<double> finished_at;
    std::string status;
    std::string identity_before;
    std::string identity_after;
    nlohmann::json counters_before = nlohmann::json::object();
    nlohmann::json counters_after = nlohmann::json::object();
    std::vector<StepRecord> steps;
    std::map<std::string, std::vector<DispatchPoint>> dispatch;  // function -> per-second counts

    // Mean dispatches per second of one work item over the rep; empty when not traced.
    std::optional<double> dispatch_rate(const std::string& function) const;
    const StepRecord* step(const std::string& name) const;
};

struct KernelEventRecord {
    std::optional<int> rep_idx;
    std::string step_name;
    std::optional<double> offset_s;  // since stress start of the rep; empty = before stress
    std::string cls;                 // WARNING, BUG, ..., STORM, GAP
    std::string title;
    std::string fingerprint;
    std::string function;
    std::string module;
    std::int64_t count = 1;
    std::string severity;  // fail | warn | info
    std::string report;
};

struct ArtifactRecord {
    std::string name;
    std::string path;
    std::string sha256;
    std::int64_t size = 0;
    std::string status;  // ok | failed | timeout
    double seconds = 0;
    std::string error;
};

struct ReceiptRecord {
    std::string item;
    bool ok = false;
    std::string detail;
};

struct VerdictMetricRecord {
    std::string metric;
    std::string predicted;
    std::optional<double> observed;
    std::optional<double> lo;
    std::optional<double> hi;
    std::string judgement;
};

// Descriptive figures of one profile step over the reps of one patch.
struct StepSummary {
    std::string name;
    std::string direction;
    int n = 0;  // reps with a measured mean
    std::optional<double> mean, median, min, max;
};

struct BaselineSummary {
    RunRecord run;
    std::optional<BuildInfo> build;
    std::vector<StepSummary> steps;
};

struct ReportModel {
    RunRecord run;
    std::optional<BuildInfo> build;
    std::vector<RepRecord> reps;
    std::vector<KernelEventRecord> events;
    std::vector<ArtifactRecord> artifacts;
    std::vector<ReceiptRecord> receipts;
    std::vector<VerdictMetricRecord> metrics;
    nlohmann::json details = nlohmann::json::object();
    std::vector<StepSummary> steps;  // this run's patch reps, in profile order
    std::optional<BaselineSummary> baseline;

    // Profile step names in order of first appearance over all reps.
    std::vector<std::string> step_names() const;
    // Work-item functions traced in any rep, sorted.
    std::vector<std::string> dispatch_functions() const;
    // The reps of the run's own patch (interleaved runs also hold baseline reps).
    std::vector<const RepRecord*> patch_reps() const;
    // Duration of the run in seconds, when it finished.
    std::optional<double> duration_s() const;
};

// Loads run `run_id`; throws Error(Usage) when there is no such run and
// Error(Infra) naming the run and the key when details_json is not JSON.
ReportModel load_report_model(Store& store, std::int64_t run_id);

// Per-step mean/median/min/max over the given reps (no inference: that is
// the phases' job and lives in details_json).
std::vector<StepSummary> summarize_steps(const std::vector<const RepRecord*>& reps);

}  // namespace besrig
