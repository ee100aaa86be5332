// Built-in defaults: the lowest layer of the config, and the schema of which
// keys exist (a key absent here is unknown unless it sits under an open map).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace besrig {

const nlohmann::json& config_defaults();

// Paths whose children are user-named (profiles) or whose value is a list of
// objects: merged whole and validated by the typed reader, not key by key.
bool is_open_map(std::string_view path);

}  // namespace besrig
