// What a comparison needs of one stored run, read from the store in one
// place: the run record, its reps with their steps' mean throughput (warm-up
// samples excluded), its failing kernel-log fingerprints, and its dispatch
// rates. Only this file (and compare_runs.cpp for predictions) knows the SQL.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reports/store/store.hpp"

namespace besrig::compare {

struct StepData {
    int idx = 0;
    std::string name;
    std::string direction;
    double rate_mbytes = 0;
    int streams = 0;
    int seconds = 0;
    int omit = 0;
    std::string status;
    int samples = 0;                   // counted (not omitted) per-second samples
    std::optional<double> mean_mbytes; // mean of counted samples, else the stored step mean
    // The parts of a step that must match for two reps to be comparable.
    std::string shape() const;
};

struct RepData {
    std::int64_t id = 0;
    int idx = 0;
    std::string status;
    std::vector<StepData> steps;
    // Mean work-item dispatches per second, per traced function.
    std::map<std::string, double> dispatch_rates;
};

struct KernelFingerprint {
    std::string fingerprint;
    std::string cls;
    std::string title;
    long long count = 0;
    std::optional<double> first_offset_s;
};

struct RunData {
    RunRecord run;
    std::string config_json;
    std::vector<RepData> reps;
    std::vector<KernelFingerprint> failing;  // severity 'fail', one per fingerprint
};

// Throws Error(Usage) when the run does not exist.
RunData read_run_data(Store& store, std::int64_t run_id);

// The newest finished baseline of the same rig, kernel release and profile,
// started before `run` (nullopt if none).
std::optional<std::int64_t> latest_baseline_for(Store& store, const RunRecord& run);

}  // namespace besrig::compare
