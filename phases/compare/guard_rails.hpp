// Guard rails of a comparison (BRIEF §5, issue 9): reasons two runs cannot be
// compared fairly. Each returned string names what differs; any makes the
// comparison INCONCLUSIVE.
#pragma once

#include <string>
#include <vector>

#include "phases/compare/run_data.hpp"

namespace besrig::compare {

// Same run, rig, kernel release, profile; both runs done; the profile's
// fresh-chip setting, its steps and the ftrace instrumentation equal in the
// config snapshots stored with the runs (where both runs stored them).
std::vector<std::string> run_guard_rails(const RunData& base, const RunData& patch);

// Reps usable for throughput: not running/aborted/failed, every step with a
// mean. Excluded reps are described in `notes`.
std::vector<const RepData*> usable_reps(const RunData& run, const char* which, std::vector<std::string>& notes);

// Every usable rep of both runs must have the same step shapes (name,
// direction, rate, streams, duration, warm-up) as the baseline's first rep.
std::vector<std::string> step_guard_rails(const std::vector<const RepData*>& base,
                                          const std::vector<const RepData*>& patch);

}  // namespace besrig::compare
