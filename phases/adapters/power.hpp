// PowerSwitch adapters at the edge (BRIEF §2, §10): none, a configured
// command (a smart plug, a relay, `labgrid-client -p ohm power cycle`), or
// the simulated board's QMP socket (sim/qmp.hpp).
#pragma once

#include <memory>

#include "config/config.hpp"
#include "phases/ports.hpp"

namespace besrig::phases {

class NoPowerSwitch : public PowerSwitch {
public:
    bool available() override { return false; }
    void cycle() override;
};

// Runs power.cycle_command through /bin/sh on the controller: the command is
// the user's own configuration, run as written, with a deadline.
class CommandPowerSwitch : public PowerSwitch {
public:
    explicit CommandPowerSwitch(const RigConfig& config) : config_(config) {}
    bool available() override { return !config_.power.cycle_command.empty(); }
    void cycle() override;

private:
    const RigConfig& config_;
};

}  // namespace besrig::phases
