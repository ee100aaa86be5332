// The board's power switch (BRIEF §2, §10): an interface with two
// implementations — QEMU's monitor for the simulated board, and a configured
// shell command for a real one (smart plug, relay, `labgrid-client -p ohm power cycle`).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <variant>

#include "config/config.hpp"
#include "util/process.hpp"
#include "util/result.hpp"

namespace besrig {

struct PowerError {
    std::string power_switch;  // "QMP /run/.../qmp.sock", "command `relay 3 off`"
    std::string action;        // "cycle", "off", "on"
    std::string message;
    bool timeout = false;

    std::string describe() const;
};

using PowerDone = std::monostate;

class PowerSwitch {
public:
    virtual ~PowerSwitch() = default;
    // Off and on again: the board loses everything in RAM and boots afresh.
    virtual Result<PowerDone, PowerError> cycle() = 0;
    virtual Result<PowerDone, PowerError> off() = 0;
    virtual Result<PowerDone, PowerError> on() = 0;
    virtual std::string describe() const = 0;
};

// The simulated board: cycle = system_reset (and thaw if frozen); off = the
// machine is halted (QMP stop: the board answers nothing, like an unplugged
// one, and the QEMU process and its ports stay); on = reset and run, a fresh boot.
class QmpPowerSwitch final : public PowerSwitch {
public:
    explicit QmpPowerSwitch(std::string socket) : socket_(std::move(socket)) {}
    Result<PowerDone, PowerError> cycle() override;
    Result<PowerDone, PowerError> off() override;
    Result<PowerDone, PowerError> on() override;
    std::string describe() const override { return "QMP " + socket_; }

private:
    Result<PowerDone, PowerError> run(const std::string& action, std::initializer_list<const char*> commands);
    std::string socket_;
};

// A real board: each action runs a configured `sh -c` command. Without a
// cycle command, cycle = off, a pause, on.
class CommandPowerSwitch final : public PowerSwitch {
public:
    struct Commands {
        std::string cycle;
        std::string off;
        std::string on;
    };
    CommandPowerSwitch(ProcessRunner& runner, Commands commands, std::chrono::milliseconds timeout,
                       std::chrono::milliseconds off_pause = std::chrono::seconds(3))
        : runner_(runner), commands_(std::move(commands)), timeout_(timeout), off_pause_(off_pause) {}
    Result<PowerDone, PowerError> cycle() override;
    Result<PowerDone, PowerError> off() override { return run("off", commands_.off); }
    Result<PowerDone, PowerError> on() override { return run("on", commands_.on); }
    std::string describe() const override;

private:
    Result<PowerDone, PowerError> run(const std::string& action, const std::string& command);
    ProcessRunner& runner_;
    Commands commands_;
    std::chrono::milliseconds timeout_;
    std::chrono::milliseconds off_pause_;
};

// From the config's "power" section; nullptr when power.kind is "none".
// Throws Error(Config) for a kind it does not know or a switch with nothing to run.
std::unique_ptr<PowerSwitch> make_power_switch(const PowerConfig& config, ProcessRunner& runner,
                                               std::chrono::milliseconds timeout);

}  // namespace besrig
