#include "cli/context.hpp"

#include <cstdlib>
#include <unistd.h>

#include "sim/state.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"

extern char** environ;

namespace besrig {
namespace {

std::map<std::string, std::string> besrig_environment() {
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        const std::string kv = *e;
        const auto eq = kv.find('=');
        if (eq != std::string::npos && kv.rfind("BESRIG_", 0) == 0) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    return env;
}

}  // namespace

std::optional<std::filesystem::path> resolve_config_file(const std::string& flag) {
    if (!flag.empty()) return std::filesystem::path(flag);
    if (const char* env = std::getenv("BESRIG_CONFIG"); env && *env) return std::filesystem::path(env);
    std::error_code ec;
    if (std::filesystem::exists("config/rig.json", ec)) return std::filesystem::path("config/rig.json");
    const auto user = xdg_config_home() / "besrig" / "rig.json";
    if (std::filesystem::exists(user, ec)) return user;
    return std::nullopt;
}

const LoadedConfig& Context::config() {
    if (config_) return *config_;
    ConfigInputs in;
    in.file = resolve_config_file(opts.config_path);
    in.env = besrig_environment();
    in.env.erase("BESRIG_CONFIG");
    in.sets = opts.sets;
    if (!opts.store_path.empty()) in.sets.push_back("store.path=" + opts.store_path);
    auto loaded = load_config(in);
    // A simulated board contributes the values it chose at `sim up` (port,
    // keys, known_hosts, QMP socket) as a layer below the file.
    if (loaded.config.board.kind == "sim") {
        if (auto layer = sim_board_layer(loaded.config.board.sim_name)) {
            in.board_layers.emplace_back(*layer, Origin{Origin::Kind::Board,
                                                        (sim_state_dir(loaded.config.board.sim_name) / "rig.json").string()});
            loaded = load_config(in);
        }
    }
    config_ = std::move(loaded);
    return *config_;
}

std::filesystem::path Context::store_path() {
    if (!opts.store_path.empty()) return expand_home(opts.store_path);
    return expand_home(rig().store.path);
}

Store& Context::store() {
    if (!store_) {
        store_ = std::make_unique<Store>(store_path());
        for (auto id : store_->aborted_on_open())
            console.warn("run " + std::to_string(id) +
                         " was left open by a controller that is gone; marked aborted (its data is kept)");
        for (const auto& r : store_->rollback_pending())
            console.warn("run " + std::to_string(r.id) + " (" + r.patch +
                         ") left the board without a proven rollback; run `besrig rollback` once the board answers");
    }
    return *store_;
}

std::string Context::command_line() const { return shell_join(argv); }

}  // namespace besrig
