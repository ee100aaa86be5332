// A fixture store builder for report tests and the history benchmark: fills a
// real SQLite store, through the real Store class, with the runs of the
// developer's story (BRIEF §1) exactly as docs/run-details.md says a finished
// Phase 7 run looks: a Phase 3 baseline of patch `b`, a `c-prep` EQUIVALENT
// run, a `c` run that WEDGED after a WARN storm at +13 s, and a `c-v2` IMPROVED
// run; plus, on request, a history of nightly runs. Everything is seeded and
// timestamped explicitly, so two builds of the same fixture are identical and
// golden files stay stable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace besrig {

class Store;

namespace fixture {

struct StoryRuns {
    std::int64_t baseline = 0;  // Phase 3, patch b, 3 reps, ~1.40 MB/s rx
    std::int64_t c_prep = 0;    // EQUIVALENT, prediction 0 % ± 3 % confirmed
    std::int64_t c = 0;         // WEDGED: WARN storm at +13 s, forensics, rollback
    std::int64_t c_v2 = 0;      // IMPROVED, about +70 %
};

// Adds the four story runs (and their builds) to an empty or existing store.
StoryRuns add_story(Store& store);

struct NightlyOptions {
    int nights = 14;
    std::vector<std::string> patches = {"c-prep", "c-v2"};
    // Per-second samples and dispatch counts (realistic, but slow for 10,000 runs).
    bool samples = false;
    std::uint32_t seed = 7;
    // Night 0 starts at this UTC time (01:30 on 2026-11-11 by default).
    double first_night_at = 1794360600.0;
    // The story's twists: c-v2 drops to +52 % on the last night (a change point)
    // and c-prep meets a new WARNING three nights before the end.
    bool twists = true;
};

// Adds one phase7 run per patch per night, judged against `baseline_run`.
// Returns the ids of the runs added.
std::vector<std::int64_t> add_nightly(Store& store, std::int64_t baseline_run, const NightlyOptions& options);

// UTC seconds since the epoch for a calendar time (for readable fixtures).
double utc_time(int year, int month, int day, int hour, int minute, int second = 0);

}  // namespace fixture
}  // namespace besrig
