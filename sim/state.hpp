// Where a simulated board keeps its state (PID, ports, keys, console log,
// the ready rig config it writes at `sim up`), so every besrig command can
// find the board by name.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace besrig {

// $BESRIG_SIM_DIR/<name>, else $XDG_STATE_HOME/besrig/sim/<name>.
std::filesystem::path sim_state_dir(const std::string& name);
// The config layer the board wrote at `sim up` (<state>/rig.json), if any.
std::optional<nlohmann::json> sim_board_layer(const std::string& name);

}  // namespace besrig
