// The phases' PowerSwitch port over rig/power: QMP for the simulated board,
// the configured commands (cycle, or off + on) for a real one. Use
// make_phase_power_switch() to get the right one for a config.
#pragma once

#include <memory>

#include "config/config.hpp"
#include "phases/ports.hpp"
#include "rig/power/power_switch.hpp"
#include "util/process.hpp"

namespace besrig::phases {

class RigPowerSwitch : public PowerSwitch {
public:
    explicit RigPowerSwitch(const RigConfig& config);
    bool available() override { return sw_ != nullptr; }
    // Throws Error(Infra) naming the switch, the action and what went wrong.
    void cycle() override;

private:
    LocalProcessRunner runner_;  // before sw_: the command switch keeps a reference to it
    std::unique_ptr<besrig::PowerSwitch> sw_;
};

// power.kind "none" gives a switch that is not available(); "qmp" and "command" real ones.
std::unique_ptr<PowerSwitch> make_phase_power_switch(const RigConfig& config);

}  // namespace besrig::phases
