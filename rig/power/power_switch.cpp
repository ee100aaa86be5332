#include "rig/power/power_switch.hpp"

#include <thread>

#include "rig/power/qmp.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig {

std::string PowerError::describe() const {
    return "power " + action + " via " + power_switch + ": " + (timeout ? "timed out: " : "") + message;
}

Result<PowerDone, PowerError> QmpPowerSwitch::run(const std::string& action,
                                                  std::initializer_list<const char*> commands) {
    auto client = QmpClient::connect(socket_);
    if (!client)
        return fail(PowerError{describe(), action, client.error().describe(),
                               client.error().kind == QmpErrorKind::Timeout});
    for (const char* command : commands) {
        auto r = client->execute(command);
        if (!r)
            return fail(PowerError{describe(), action, r.error().describe(), r.error().kind == QmpErrorKind::Timeout});
    }
    return PowerDone{};
}

// A reset of a stopped machine stays stopped until `cont`; cont on a running one is a no-op.
Result<PowerDone, PowerError> QmpPowerSwitch::cycle() { return run("cycle", {"system_reset", "cont"}); }
Result<PowerDone, PowerError> QmpPowerSwitch::off() { return run("off", {"stop"}); }
Result<PowerDone, PowerError> QmpPowerSwitch::on() { return run("on", {"system_reset", "cont"}); }

std::string CommandPowerSwitch::describe() const {
    const std::string& shown = !commands_.cycle.empty() ? commands_.cycle : commands_.off;
    return "command `" + printable(shown, 80) + "`";
}

Result<PowerDone, PowerError> CommandPowerSwitch::run(const std::string& action, const std::string& command) {
    if (command.empty())
        return fail(PowerError{describe(), action, "no power." + action + "_command configured", false});
    const auto result = runner_.run(ProcessSpec{{"sh", "-c", command}, std::nullopt, {}, timeout_, {}});
    if (!result.success()) {
        std::string message = "`" + printable(command, 120) + "` " + result.describe();
        if (const auto err = trim(result.err); !err.empty()) message += ": " + printable(err, 300);
        return fail(PowerError{"command", action, message, result.timed_out});
    }
    return PowerDone{};
}

Result<PowerDone, PowerError> CommandPowerSwitch::cycle() {
    if (!commands_.cycle.empty()) return run("cycle", commands_.cycle);
    if (auto r = run("off", commands_.off); !r) return r;
    std::this_thread::sleep_for(off_pause_);
    return run("on", commands_.on);
}

std::unique_ptr<PowerSwitch> make_power_switch(const PowerConfig& config, ProcessRunner& runner,
                                               std::chrono::milliseconds timeout) {
    if (config.kind == "none") return nullptr;
    if (config.kind == "qmp") {
        if (config.qmp_socket.empty())
            throw_config("power.qmp_socket: empty (for a simulated board `besrig sim up` sets it)");
        return std::make_unique<QmpPowerSwitch>(config.qmp_socket);
    }
    if (config.kind == "command") {
        if (config.cycle_command.empty() && (config.on_command.empty() || config.off_command.empty()))
            throw_config("power: kind \"command\" needs power.cycle_command, or both power.off_command and "
                         "power.on_command");
        return std::make_unique<CommandPowerSwitch>(
            runner, CommandPowerSwitch::Commands{config.cycle_command, config.off_command, config.on_command},
            timeout);
    }
    throw_config("power.kind: expected \"none\", \"qmp\" or \"command\", found " + printable(config.kind));
}

}  // namespace besrig
