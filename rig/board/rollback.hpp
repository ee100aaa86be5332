// Rollback (BRIEF §4): put the rollback build (Patch B in the story) back on
// the board — installed AND running — and prove it. Does only what is needed:
//   already installed and running (sha256 and srcversion match) → nothing;
//   installed but another module runs ("RUNNING is still Patch C broken")
//                                                               → reload, prove;
//   anything else                                               → full verified
//                                                                 deploy with load.
// The caller (phase 6/7, `besrig rollback`) resolves the rollback build from
// the bundle and records in the store that it is owed until this returns.
#pragma once

#include "rig/board/deploy.hpp"

namespace besrig::board {

enum class RollbackAction { AlreadyRunning, Reloaded, Redeployed };
std::string to_string(RollbackAction a);

struct RollbackOutcome {
    RollbackAction action = RollbackAction::Redeployed;
    DeployState state;  // filled as far as it got, also when rollback_to threw
};

// Throws like deploy_module; `outcome` tells how far it got.
void rollback_to(Remote& remote, const RigConfig& config, const ModuleBuild& rollback, const StepLogger& log,
                 RollbackOutcome& outcome);

}  // namespace besrig::board
