// Phase 5 pre-registration (BRIEF §4): predictions per metric, stored with a
// timestamp and a hash, and frozen once Phase 7 of the patch starts. A frozen
// prediction cannot be changed: the attempt is refused and logged. (The
// developer's loop forbids fitting the prediction to the result.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reports/stats/prediction.hpp"
#include "reports/store/store.hpp"

namespace besrig::phase5 {

struct StoredPrediction {
    std::int64_t id = 0;
    stats::Prediction prediction;
    std::optional<std::int64_t> baseline_run;
    double created_at = 0;
    std::optional<double> frozen_at;
    std::string hash;
};

// The current (not superseded) predictions of a patch, oldest first.
std::vector<StoredPrediction> current_predictions(Store& store, const std::string& patch);
bool predictions_frozen(Store& store, const std::string& patch);

// sha256 over the patch, the baseline run and each metric's range: what the
// verdict quotes so a reader can check the prediction was not edited.
std::string prediction_hash(const std::string& patch, std::optional<std::int64_t> baseline_run,
                            const std::vector<stats::Prediction>& predictions);

// Records `predictions` for `patch` (an earlier, unfrozen set is superseded).
// If the patch's predictions are frozen, logs the refused attempt on run
// `run_id` and throws Error(Usage). Returns the hash.
std::string record_predictions(Store& store, std::int64_t run_id, const std::string& patch,
                               const std::vector<stats::Prediction>& predictions,
                               std::optional<std::int64_t> baseline_run);

// Freezes the current predictions of `patch` (Phase 7 calls this as it starts).
// Returns how many were frozen now (0 if none or already frozen).
int freeze_predictions(Store& store, const std::string& patch);

// Records a reviewer's decision ("approve" | "reject").
void record_review(Store& store, const std::string& patch, const std::string& decision, const std::string& note);

// The newest finished baseline run of `rig` and `profile` (any kernel).
std::optional<std::int64_t> latest_baseline(Store& store, const std::string& rig, const std::string& profile);

}  // namespace besrig::phase5
