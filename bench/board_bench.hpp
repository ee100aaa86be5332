// The figures that need a board (BRIEF §9, issues 5, 7, 8, 11), measured on a
// simulated board this benchmark boots for itself in a scratch HOME and
// BESRIG_SIM_DIR, and shuts down on every exit path:
//   (a) stress time ÷ phase7 wall time and (i) the controller's peak RSS, from
//       a clean phase7 of the rollback patch;
//   (f) deploy (upload + verify + install) vs plain scp of the same module;
//   (b) a WARN-shaped record written into the board's /dev/kmsg mid-stress
//       until its kernel_events row is in SQLite;
//   (c) data link cut mid-stress until the stored WEDGED decision, then
//   (e) `besrig forensics` on that still-wedged board;
//   (h) /dev/kmsg flooded at rising rates during stress: the highest rate the
//       follower kept up with, the rate of the first sequence gap, and whether
//       every record was either stored or reported lost;
//   (d) management link cut mid-stress until the stored HOST_DOWN decision;
//   (k) c-v2 / b and (l) c-prep / b: wlan0 throughput of one phase7 of each
//       patch (built by `besrig build`), back to back on the same board.
// Every phase7 here is a real `besrig run phase7` child over the real adapters.
#pragma once

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "bench/figure.hpp"
#include "config/config.hpp"

namespace besrig {
class Console;
}

namespace besrig::bench {

struct BoardInputs {
    std::filesystem::path besrig;  // this binary
    std::filesystem::path work;    // scratch: HOME, sim state, store, logs
    std::set<std::string> only;    // empty: every board figure
    int stress_s = 30;             // the one step of the short phase7 profile
    // Loads the rig config for a config file, with the booted board's layer
    // (the CLI's loader; this layer does not parse command lines).
    std::function<RigConfig(const std::filesystem::path& config, const std::filesystem::path& store)> load_config;
};

// Names of the board figures, in the order they are reported.
const std::vector<std::string>& board_figure_names();
// "(c) data path cut -> WEDGED decision" for "wedge".
std::string board_figure_label(const std::string& name);

// Measures the selected board figures. A figure that could not be measured
// carries the reason in its note; only a board that does not boot throws.
std::vector<Figure> run_board_figures(const BoardInputs& in, Console& console);

}  // namespace besrig::bench
