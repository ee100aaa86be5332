// What every caller of the Phase 7 protocol does around Protocol::run, written
// once for `besrig run phase7` and `besrig nightly`: judge a patch by its
// Phase 5 throughput prediction unless told otherwise, and freeze that
// prediction as the run starts (BRIEF §4: it cannot be fitted to the result).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace besrig {
class Store;
}

namespace besrig::phase7 {

// Has the patch a current Phase 5 prediction?
bool has_prediction(Store& store, const std::string& patch);

// `told` when not empty; else from the throughput prediction (a range around
// zero: "no-delta"; above zero: "improve"); else "any".
std::string resolve_expect(Store& store, const std::string& patch, const std::string& told);

// Freezes the patch's predictions; from here on they cannot be changed.
void freeze_prediction(Store& store, const std::string& patch);

// The newest finished, passing baseline run of this rig, profile and kernel
// release ("latest" in `besrig nightly`, the default of `run phase7`).
std::optional<std::int64_t> latest_baseline(Store& store, const std::string& rig, const std::string& profile,
                                            const std::string& kernel_release);

}  // namespace besrig::phase7
