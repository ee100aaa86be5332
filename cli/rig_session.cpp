#include "cli/rig_session.hpp"

#include "util/fs.hpp"

namespace besrig {

RigSession::RigSession(Context& ctx, const std::string& patch)
    : ctx_(ctx),
      artifacts_(expand_home(ctx.rig().store.artifacts_dir)),
      lock_(board::BoardLock::acquire_local(xdg_state_home() / "besrig", ctx.rig().board.name, ctx.command_line())),
      bundle_(expand_home(ctx.rig().driver.bundle_dir), ctx.store()),
      board_(ctx.rig(), ConnectOptions{}),
      traffic_(ctx.rig(), ConnectOptions{}, artifacts_ / "iperf3"),
      log_(ctx.rig(), ConnectOptions{}, ctx.store_path()),
      evidence_(ctx.rig(), ConnectOptions{}, ctx.store(), artifacts_, patch),
      power_(phases::make_phase_power_switch(ctx.rig())),
      comparator_(ctx.rig(), ctx.store()) {
    // The board-side lock over a session of its own. An unreachable board is
    // not refused here: the run itself reports it (and may power-cycle it).
    auto remote = try_connect_board(ctx.rig(), ConnectOptions{});
    if (remote) {
        lock_remote_ = std::move(remote.value());
        const auto note = lock_->acquire_board(*lock_remote_);
        if (!note.empty()) ctx.console.warn(note);
    }
}

RigSession::~RigSession() = default;

}  // namespace besrig
