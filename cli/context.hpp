// What every command gets: the global options, the console, and lazily the
// resolved config and the store. Only cli/ sees this; lower layers receive
// the pieces they need explicitly.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/loader.hpp"
#include "reports/store/store.hpp"
#include "util/terminal.hpp"

namespace besrig {

struct GlobalOptions {
    std::string config_path;
    std::string store_path;
    std::vector<std::string> sets;
    bool verbose = false;
    bool json = false;
    bool bisect = false;
};

class Context {
public:
    GlobalOptions opts;
    Console console;
    std::vector<std::string> argv;
    std::function<int()> action;  // chosen by the parsed subcommand

    // Loads the config once: --config, else $BESRIG_CONFIG, else ./config/rig.json,
    // else $XDG_CONFIG_HOME/besrig/rig.json, else defaults only.
    const LoadedConfig& config();
    const RigConfig& rig() { return config().config; }
    // Opens the store once (--store, else store.path from the config).
    Store& store();
    std::filesystem::path store_path();
    std::string command_line() const;

private:
    std::optional<LoadedConfig> config_;
    std::unique_ptr<Store> store_;
};

// Which config file a command would read, and why.
std::optional<std::filesystem::path> resolve_config_file(const std::string& flag);

}  // namespace besrig
