#include "sim/state.hpp"

#include <cstdlib>

#include "config/loader.hpp"
#include "util/fs.hpp"

namespace besrig {

std::filesystem::path sim_state_dir(const std::string& name) {
    const char* base = std::getenv("BESRIG_SIM_DIR");
    const std::filesystem::path root = base && *base ? std::filesystem::path(base) : xdg_state_home() / "besrig" / "sim";
    return root / name;
}

std::optional<nlohmann::json> sim_board_layer(const std::string& name) {
    const auto file = sim_state_dir(name) / "rig.json";
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return std::nullopt;
    return parse_config_file(file);
}

}  // namespace besrig
