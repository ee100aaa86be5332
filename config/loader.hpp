// Config precedence as code (STYLE §7): default < file < environment
// (BESRIG_*) < command line (--set key=value), written once, with the origin
// of every value kept so `besrig config show` can say where it came from.
//
// Layers merge generically over JSON; then one typed pass (reader.cpp) turns
// the result into RigConfig, refusing every bad value with the origin, the key
// path, what was expected and what was found.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"

namespace besrig {

struct Origin {
    enum class Kind { Default, File, Board, Env, Flag };
    Kind kind = Kind::Default;
    std::string source;  // file path, board name, variable name or flag text

    // "default", "file config/rig.json", "env BESRIG_BOARD_MGMT_PORT", "flag --set board.mgmt.port=22".
    std::string describe() const;
    // The prefix of an error about a value from here: the file path, "environment BESRIG_X", ...
    std::string error_prefix() const;
};

struct ConfigInputs {
    std::optional<std::filesystem::path> file;  // the config file, if any
    // A layer between the file and the defaults, e.g. the ready config a
    // simulated board writes at `sim up` (Origin::Kind::Board).
    std::vector<std::pair<nlohmann::json, Origin>> board_layers;
    std::map<std::string, std::string> env;     // the environment (only BESRIG_* are read)
    std::vector<std::string> sets;              // "key.path=value" from --set
};

struct LoadedConfig {
    RigConfig config;
    nlohmann::json effective;
    std::map<std::string, Origin> origins;  // by dotted key path (leaves and open-map entries)
    std::optional<std::filesystem::path> file;

    const Origin& origin_of(const std::string& path) const;
};

// Reads a JSON file that may contain // and /* */ comments. Throws
// Error(Config) naming the file, line and column of a syntax error.
nlohmann::json parse_config_file(const std::filesystem::path& path);

// The environment variable for a key path: board.mgmt.port -> BESRIG_BOARD_MGMT_PORT.
std::string env_name_for(const std::string& path);

// Merges all layers and validates. Throws Error(Config) on the first bad value.
LoadedConfig load_config(const ConfigInputs& inputs);

// Every leaf key path the defaults define (the keys env and --set may name).
std::vector<std::string> known_leaf_paths();

// Typed pass: throws Error(Config) with the origin's prefix and the key path.
RigConfig read_rig_config(const nlohmann::json& effective, const std::map<std::string, Origin>& origins);

}  // namespace besrig
