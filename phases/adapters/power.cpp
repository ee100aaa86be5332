#include "phases/adapters/power.hpp"

#include "util/error.hpp"
#include "util/process.hpp"
#include "util/strings.hpp"

namespace besrig::phases {

void NoPowerSwitch::cycle() { throw_infra("no power switch configured (power.kind is \"none\")"); }

void CommandPowerSwitch::cycle() {
    LocalProcessRunner runner;
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", config_.power.cycle_command};
    spec.timeout = std::chrono::seconds(60);
    const auto r = runner.run(spec);
    if (!r.success())
        throw_infra("power.cycle_command `" + config_.power.cycle_command + "` failed (" + r.describe() + "): " +
                    printable(trim(r.err), 200));
}

}  // namespace besrig::phases
