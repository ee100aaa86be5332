// The power switch seam: a command switch for real boards, driven through a fake ProcessRunner.
#include <gtest/gtest.h>

#include "rig/power/power_switch.hpp"
#include "util/error.hpp"

namespace besrig {
namespace {

class FakeRunner final : public ProcessRunner {
public:
    std::vector<std::vector<std::string>> calls;
    ProcessResult next;
    ProcessResult run(const ProcessSpec& spec) override {
        calls.push_back(spec.argv);
        return next;
    }
};

ProcessResult exited(int code, std::string err = {}) {
    ProcessResult r;
    r.exit_code = code;
    r.err = std::move(err);
    return r;
}

TEST(CommandPowerSwitch, CycleRunsTheCycleCommandThroughSh) {
    FakeRunner runner;
    runner.next = exited(0);
    CommandPowerSwitch sw(runner, {"labgrid-client -p ohm power cycle", "", ""}, std::chrono::seconds(5));
    ASSERT_TRUE(sw.cycle());
    ASSERT_EQ(runner.calls.size(), 1u);
    EXPECT_EQ(runner.calls[0], (std::vector<std::string>{"sh", "-c", "labgrid-client -p ohm power cycle"}));
}

TEST(CommandPowerSwitch, CycleWithoutCycleCommandIsOffThenOn) {
    FakeRunner runner;
    runner.next = exited(0);
    CommandPowerSwitch sw(runner, {"", "relay 3 off", "relay 3 on"}, std::chrono::seconds(5),
                          std::chrono::milliseconds(1));
    ASSERT_TRUE(sw.cycle());
    ASSERT_EQ(runner.calls.size(), 2u);
    EXPECT_EQ(runner.calls[0][2], "relay 3 off");
    EXPECT_EQ(runner.calls[1][2], "relay 3 on");
}

TEST(CommandPowerSwitch, FailureNamesCommandAndStderr) {
    FakeRunner runner;
    runner.next = exited(3, "relay: no such device\n");
    CommandPowerSwitch sw(runner, {"relay 3 cycle", "", ""}, std::chrono::seconds(5));
    auto r = sw.cycle();
    ASSERT_FALSE(r);
    const auto text = r.error().describe();
    EXPECT_NE(text.find("relay 3 cycle"), std::string::npos) << text;
    EXPECT_NE(text.find("exit 3"), std::string::npos) << text;
    EXPECT_NE(text.find("no such device"), std::string::npos) << text;
    EXPECT_FALSE(r.error().timeout);
}

TEST(CommandPowerSwitch, TimeoutIsKeptApart) {
    FakeRunner runner;
    runner.next.timed_out = true;
    CommandPowerSwitch sw(runner, {"slow-plug cycle", "", ""}, std::chrono::seconds(5));
    auto r = sw.cycle();
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().timeout);
}

TEST(MakePowerSwitch, ByKind) {
    FakeRunner runner;
    PowerConfig none;
    none.kind = "none";
    EXPECT_EQ(make_power_switch(none, runner, std::chrono::seconds(1)), nullptr);

    PowerConfig qmp;
    qmp.kind = "qmp";
    qmp.qmp_socket = "/run/x/qmp.sock";
    auto sw = make_power_switch(qmp, runner, std::chrono::seconds(1));
    ASSERT_NE(sw, nullptr);
    EXPECT_EQ(sw->describe(), "QMP /run/x/qmp.sock");

    PowerConfig cmd;
    cmd.kind = "command";
    cmd.off_command = "relay off";  // no on_command, no cycle_command
    EXPECT_THROW(make_power_switch(cmd, runner, std::chrono::seconds(1)), Error);

    PowerConfig bad;
    bad.kind = "smartplug";
    try {
        make_power_switch(bad, runner, std::chrono::seconds(1));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Config);
        EXPECT_NE(std::string(e.what()).find("power.kind"), std::string::npos);
    }
}

}  // namespace
}  // namespace besrig
