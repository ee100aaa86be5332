// The figures that need no board: (g) `besrig triage` against `grep -E` on the
// same file, and (j) `history` and the nightly trend on a 10,000-run store
// (the history_bench program built with the tests).
#pragma once

#include <filesystem>

#include "bench/figure.hpp"

namespace besrig::bench {

struct LocalInputs {
    std::filesystem::path besrig;         // this binary
    std::filesystem::path work;           // scratch directory (removed by the caller)
    std::filesystem::path triage_seed;    // logspec's linux_boot_005.log
    int triage_mb = 50;                   // the seed is replicated to about this size
    std::filesystem::path history_bench;  // build/bench/history_bench
    int history_runs = 10000;
};

Figure triage_figure(const LocalInputs& in);
Figure history_figure(const LocalInputs& in);

}  // namespace besrig::bench
