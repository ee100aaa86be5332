#include "rig/board/rollback.hpp"

#include <cmath>

#include "rig/board/module_identity.hpp"
#include "rig/board/probes.hpp"
#include "util/error.hpp"

namespace besrig::board {

std::string to_string(RollbackAction a) {
    switch (a) {
        case RollbackAction::AlreadyRunning: return "already running";
        case RollbackAction::Reloaded: return "reloaded";
        case RollbackAction::Redeployed: return "redeployed";
    }
    return "?";
}

void rollback_to(Remote& remote, const RigConfig& config, const ModuleBuild& rollback, const StepLogger& log,
                 RollbackOutcome& outcome) {
    const auto timeout = milliseconds(static_cast<long long>(std::llround(config.timeouts.command_s * 1000.0)));
    auto release = kernel_release(remote, timeout);
    if (!release) throw_infra("rollback: " + release.error().describe());
    const std::string target = config.module_install_path(*release);
    auto id = module_identity(remote, config.module.name, target, timeout);
    if (!id) throw_infra("rollback: " + id.error().describe());
    outcome.state.release = *release;
    outcome.state.target = target;

    const bool installed = id->installed.present && id->installed.sha256 == rollback.sha256;
    const bool running = id->running.loaded && !rollback.srcversion.empty() &&
                         id->running.srcversion == rollback.srcversion;
    if (installed && running) {
        outcome.action = RollbackAction::AlreadyRunning;
        outcome.state.installed = outcome.state.loaded = true;
        outcome.state.running_srcversion = id->running.srcversion;
        if (log) log(StepRecord{"rollback", "the rollback build is already installed and running (srcversion " +
                                                id->running.srcversion + ")", 0, true});
        return;
    }
    if (installed) {
        outcome.action = RollbackAction::Reloaded;
        outcome.state.installed = true;
        reload_and_prove(remote, config, target, rollback.srcversion, log, outcome.state);
        return;
    }
    outcome.action = RollbackAction::Redeployed;
    deploy_module(remote, config, rollback, DeployOptions{true, {}}, log, outcome.state);
}

}  // namespace besrig::board
