#include "phases/adapters/rig_power.hpp"

#include "util/error.hpp"

namespace besrig::phases {

RigPowerSwitch::RigPowerSwitch(const RigConfig& config)
    : sw_(make_power_switch(config.power, runner_,
                            std::chrono::milliseconds(static_cast<long>(config.timeouts.command_s * 1000)))) {}

void RigPowerSwitch::cycle() {
    if (!sw_) throw_infra("no power switch configured (power.kind is \"none\")");
    if (auto r = sw_->cycle(); !r) throw_infra(r.error().describe());
}

std::unique_ptr<PowerSwitch> make_phase_power_switch(const RigConfig& config) {
    return std::make_unique<RigPowerSwitch>(config);
}

}  // namespace besrig::phases
