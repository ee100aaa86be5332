// The Comparator port bound to phases/compare (statistics over the store):
// runs the comparison, stores each judged prediction in verdict_metrics, and
// returns the comparison in the shape docs/run-details.md promises reports
// (the full statistics ride along under "stats").
#pragma once

#include "config/config.hpp"
#include "phases/ports.hpp"

namespace besrig {
class Store;
}

namespace besrig::phases {

class StoreComparator : public Comparator {
public:
    StoreComparator(const RigConfig& config, Store& store) : config_(config), store_(store) {}
    nlohmann::json compare(std::int64_t run_id, std::int64_t baseline_run, const std::string& expect) override;

private:
    const RigConfig& config_;
    Store& store_;
};

}  // namespace besrig::phases
