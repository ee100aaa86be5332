// phases::Traffic on rig/iperf3: a real server on 127.0.0.1 and a real client
// through the local fake board. One short step (1 s warm-up + 2 s).
#include <gtest/gtest.h>

#include <csignal>
#include <unistd.h>

#include "local_shell_remote.hpp"
#include "phases/adapters/iperf3_traffic.hpp"
#include "test_support.hpp"
#include "util/process.hpp"

namespace besrig {
namespace {

TEST(Iperf3Traffic, OneStepWithSamplesVersionsAndServerHealth) {
    if (!find_program("iperf3")) GTEST_SKIP() << "iperf3 is not installed: skipped";
    test::TempDir dir;
    test::LocalShellRemote board;
    RigConfig config;
    config.iperf3.peer = "controller";
    config.iperf3.server_bind = "127.0.0.1";
    config.iperf3.server_address = "127.0.0.1";
    config.iperf3.port = 32000 + static_cast<int>(::getpid() % 500) * 10;
    config.iperf3.board_binary = "iperf3";
    phases::Iperf3Traffic traffic(board, config, dir.path() / "iperf3");
    traffic.start_server();
    ASSERT_TRUE(traffic.server_alive());

    StepConfig step{"rx-1MB", "rx", 1, 1, 2, 1};
    std::vector<phases::Sample> samples;
    const auto r = traffic.run_step(step, "127.0.0.1", [&](const phases::Sample& s) { samples.push_back(s); },
                                    [] { return true; });
    EXPECT_EQ(r.status, phases::StepResult::Status::Ok) << r.error;
    EXPECT_EQ(r.client_version.rfind("iperf 3.", 0), 0u) << r.client_version;
    EXPECT_EQ(r.server_version.rfind("iperf 3.", 0), 0u) << r.server_version;
    ASSERT_EQ(samples.size(), 3u);
    EXPECT_TRUE(samples[0].omitted);
    EXPECT_NEAR(samples[0].t, 1, 0.1);
    EXPECT_NEAR(samples[1].t, 2, 0.1);  // the counted clock shifted past the warm-up
    EXPECT_NEAR(samples[2].t, 3, 0.1);
    EXPECT_NEAR(samples[2].mbytes_per_s, 1.0, 0.3);
    ASSERT_TRUE(traffic.last_step() && traffic.last_step()->server);
    EXPECT_TRUE(traffic.last_step()->server->params->reverse);

    const auto json = dir.path() / "iperf3";
    EXPECT_FALSE(std::filesystem::is_empty(json));
    // The protocol's keep_going asks server_alive(): a killed server says no.
    ::kill(traffic.server_pid_for_tests(), SIGKILL);
    bool alive = true;
    for (int i = 0; i < 100 && alive; ++i) {
        alive = traffic.server_alive();
        if (alive) ::usleep(20000);
    }
    EXPECT_FALSE(alive);
    traffic.stop_server();
}

}  // namespace
}  // namespace besrig
