// Writes a Phase 7 run's raw facts to the store as they happen: each row is
// committed on its own, so a crash or Ctrl-C loses nothing already measured.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "config/config.hpp"

namespace besrig {
class Store;
}

namespace besrig::phase7 {

class Recorder {
public:
    Recorder(Store& store, std::int64_t run_id) : store_(store), run_id_(run_id) {}

    std::int64_t begin_rep(int idx, const std::string& patch, double uptime_s, const std::string& identity,
                           const std::map<std::string, std::string>& counters);
    void end_rep(std::int64_t rep_id, const std::string& status, const std::string& identity_after,
                 const std::map<std::string, std::string>& counters);
    std::int64_t begin_step(std::int64_t rep_id, int idx, const StepConfig& step);
    void sample(std::int64_t step_id, double t, double mbytes_per_s, bool omitted);
    void dispatch(std::int64_t rep_id, double t, const std::map<std::string, std::int64_t>& counts);
    // Mean of the non-omitted samples is computed from what was stored.
    void end_step(std::int64_t step_id, const std::string& status, const std::string& error,
                  const std::string& client_version, const std::string& server_version);
    void receipt(const std::string& item, bool ok, const std::string& detail);
    void log(const std::string& level, const std::string& step, const std::string& message);

    std::int64_t run_id() const { return run_id_; }

private:
    Store& store_;
    std::int64_t run_id_;
};

}  // namespace besrig::phase7
