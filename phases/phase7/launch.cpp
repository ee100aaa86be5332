#include "phases/phase7/launch.hpp"

#include "phases/compare/compare_runs.hpp"
#include "phases/phase5/predictions_store.hpp"
#include "reports/store/store.hpp"

namespace besrig::phase7 {

bool has_prediction(Store& store, const std::string& patch) { return !compare::stored_predictions(store, patch).empty(); }

std::string resolve_expect(Store& store, const std::string& patch, const std::string& told) {
    if (!told.empty()) return told;
    for (const auto& p : compare::stored_predictions(store, patch)) {
        if (p.metric != "throughput") continue;
        if (p.lo <= 0 && p.hi >= 0) return "no-delta";
        if (p.lo > 0) return "improve";
    }
    return "any";
}

void freeze_prediction(Store& store, const std::string& patch) { phase5::freeze_predictions(store, patch); }

std::optional<std::int64_t> latest_baseline(Store& store, const std::string& rig, const std::string& profile,
                                            const std::string& kernel_release) {
    Stmt s(store.db(),
           "SELECT id FROM runs WHERE is_baseline = 1 AND status = 'finished' AND verdict = 'PASS' AND rig = ?1 "
           "AND profile = ?2 AND kernel_release = ?3 ORDER BY id DESC LIMIT 1");
    s.bind(1, rig).bind(2, profile).bind(3, kernel_release);
    if (s.step()) return s.get_int(0);
    return std::nullopt;
}

}  // namespace besrig::phase7
