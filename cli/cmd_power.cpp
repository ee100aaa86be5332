// besrig power cycle|off|on — the configured power switch (BRIEF §2): QMP for
// the simulated board, a shell command (smart plug, relay, labgrid) for a real one.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "rig/power/power_switch.hpp"
#include "util/error.hpp"

namespace besrig {
namespace {

int power(Context& ctx, const std::string& action) {
    LocalProcessRunner runner;
    const auto& rig = ctx.rig();
    const auto timeout = std::chrono::milliseconds(static_cast<long>(rig.timeouts.command_s * 1000));
    auto sw = make_power_switch(rig.power, runner, timeout);
    if (!sw)
        throw_config("power.kind is \"none\": board " + rig.board.name +
                     " has no power switch (set power.kind to \"command\" with power.cycle_command, or \"qmp\")");
    auto r = action == "cycle" ? sw->cycle() : action == "off" ? sw->off() : sw->on();
    if (!r) throw_infra(r.error().describe());
    ctx.console.result("board " + rig.board.name + ": power " + action + " (" + sw->describe() + ")");
    return 0;
}

}  // namespace

void add_power_commands(CLI::App& app, Context& ctx) {
    auto* p = app.add_subcommand("power", "Drive the board's power switch");
    p->require_subcommand(1);
    for (const char* action : {"cycle", "off", "on"}) {
        const std::string a = action;
        const std::string help = a == "cycle" ? "Power-cycle the board (it loses everything in RAM)"
                                 : a == "off" ? "Switch the board off"
                                              : "Switch the board on";
        p->add_subcommand(a, help)->callback([&ctx, a] { ctx.action = [&ctx, a] { return power(ctx, a); }; });
    }
}

}  // namespace besrig
