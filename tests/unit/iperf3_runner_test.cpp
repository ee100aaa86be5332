// The iperf3 runner with real parts: a real iperf3 server on 127.0.0.1 and a
// real iperf3 client, started through a fake Remote that runs the command on
// this host (local_shell_remote.hpp). Each test moves at most a few seconds of
// traffic. Rates are checked loosely against the cap (loopback on a shared
// 2-core machine); ratios are printed.
#include <gtest/gtest.h>

#include <csignal>
#include <iostream>
#include <unistd.h>

#include "local_shell_remote.hpp"
#include "rig/iperf3/client.hpp"
#include "rig/iperf3/ports.hpp"
#include "rig/iperf3/server.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/process.hpp"

namespace besrig {
namespace {

using Clock = std::chrono::steady_clock;
using F = Iperf3Flow;

#define REQUIRE_IPERF3()                                                                  \
    do {                                                                                  \
        if (!find_program("iperf3")) GTEST_SKIP() << "iperf3 is not installed: skipped"; \
    } while (0)

// Spread the ports so parallel test runs on a shared machine do not collide.
int port_base() { return 30000 + static_cast<int>(::getpid() % 500) * 40; }

class Iperf3Runner : public ::testing::Test {
protected:
    std::unique_ptr<Iperf3Server> start_server() {
        Iperf3ServerOptions o;
        o.bind_address = "127.0.0.1";
        o.port_base = port_base();
        o.port_span = 40;
        o.work_dir = dir_.path() / "server";
        return Iperf3Server::start(o);
    }
    Iperf3ClientSpec spec(const Iperf3Server& server, F flow, double rate_mbytes, int streams, int seconds) {
        Iperf3ClientSpec s;
        s.server_address = "127.0.0.1";
        s.bind_address = "127.0.0.1";
        s.port = server.port();
        s.flow = flow;
        s.rate_mbytes = rate_mbytes;
        s.streams = streams;
        s.seconds = seconds;
        s.connect_timeout_ms = 2000;
        return s;
    }

    test::TempDir dir_;
    test::LocalShellRemote remote_;
};

TEST(Iperf3ClientArgv, StepBecomesArgv) {
    StepConfig rx{"rx-4MB-4", "rx", 4, 4, 30, 2};
    auto s = iperf3_client_spec(rx, "iperf3", "10.0.3.2", 5301, "10.0.3.15");
    EXPECT_EQ(iperf3_client_argv(s),
              (std::vector<std::string>{"iperf3", "-c", "10.0.3.2", "-p", "5301", "-B", "10.0.3.15", "-R", "-P", "4",
                                        "-t", "30", "-O", "2", "-b", "8000000", "-i", "1", "--forceflush", "-f", "k",
                                        "--connect-timeout", "5000"}));
    StepConfig tx{"tx-max", "tx", 0, 1, 10, 0};
    s = iperf3_client_spec(tx, "/usr/bin/iperf3", "10.0.3.2", 5301, "");
    s.json_stream = true;
    EXPECT_EQ(iperf3_client_argv(s),
              (std::vector<std::string>{"/usr/bin/iperf3", "-c", "10.0.3.2", "-p", "5301", "-P", "1", "-t", "10", "-i",
                                        "1", "--forceflush", "-f", "k", "--connect-timeout", "5000", "-J",
                                        "--json-stream"}));
    EXPECT_EQ(iperf3_per_stream_bitrate(4, 1), 32000000u);
    EXPECT_EQ(iperf3_per_stream_bitrate(1, 4), 2000000u);
    EXPECT_EQ(iperf3_per_stream_bitrate(0, 4), 0u);
    StepConfig bad{"odd", "sideways", 1, 1, 10, 0};
    try {
        iperf3_client_spec(bad, "iperf3", "10.0.3.2", 5301, "");
        FAIL() << "accepted direction \"sideways\"";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Config);
        EXPECT_NE(std::string(e.what()).find("profile step \"odd\": direction \"sideways\""), std::string::npos);
    }
    StepConfig zero{"z", "rx", 1, 0, 10, 0};
    EXPECT_THROW(iperf3_client_spec(zero, "iperf3", "10.0.3.2", 5301, ""), Error);
}

TEST_F(Iperf3Runner, ServerStartsOnAFreePortAndItsDeathIsSeen) {
    REQUIRE_IPERF3();
    auto server = start_server();
    EXPECT_GE(server->port(), port_base());
    EXPECT_TRUE(process_listens_on(server->pid(), server->port()));
    EXPECT_FALSE(server->failure()) << *server->failure();
    ASSERT_TRUE(server->version());
    EXPECT_EQ(server->version()->major, 3);
    // A second server of the same run base takes the next free port.
    auto second = start_server();
    EXPECT_NE(second->port(), server->port());
    ::kill(server->pid(), SIGKILL);
    std::optional<std::string> failure;
    for (int i = 0; i < 100 && !failure; ++i) {
        failure = server->failure();
        if (!failure) ::usleep(20000);
    }
    ASSERT_TRUE(failure);
    EXPECT_NE(failure->find("killed by signal 9"), std::string::npos) << *failure;
    const pid_t pid = second->pid();
    second.reset();  // the destructor kills it
    EXPECT_FALSE(process_alive(pid) && process_listens_on(pid, port_base()));
}

TEST_F(Iperf3Runner, ServerThatCannotStartIsAnInfraErrorNamingWhy) {
    REQUIRE_IPERF3();
    Iperf3ServerOptions o;
    o.bind_address = "192.0.2.1";  // TEST-NET: not an address of this host, so bind fails
    o.port_base = port_base();
    o.port_span = 3;
    o.work_dir = dir_.path() / "s";
    try {
        Iperf3Server::start(o);
        FAIL() << "started on an address this host does not have";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Infra);
        EXPECT_NE(std::string(e.what()).find("could not start"), std::string::npos) << e.what();
    }
}

TEST_F(Iperf3Runner, ForwardRateCappedSamplesArriveAsTheyHappen) {
    REQUIRE_IPERF3();
    auto server = start_server();
    const auto s = spec(*server, F::ClientToServer, 4, 1, 3);
    std::vector<Iperf3Sample> samples;
    std::vector<Clock::time_point> arrivals;
    Iperf3RunHooks hooks;
    hooks.on_sample = [&](const Iperf3Sample& x) {
        samples.push_back(x);
        arrivals.push_back(Clock::now());
    };
    const auto version = detect_remote_iperf3_version(remote_, "iperf3", std::chrono::milliseconds(5000));
    ASSERT_TRUE(version.ok()) << version.error();
    const auto step = run_iperf3_step(remote_, *server, s, {}, hooks, version->text);
    const auto ended = Clock::now();
    EXPECT_EQ(step.client.outcome, Iperf3Outcome::Completed) << step.client.detail;
    ASSERT_EQ(samples.size(), 3u);
    for (std::size_t i = 0; i < samples.size(); ++i) {
        EXPECT_EQ(samples[i].flow, F::ClientToServer);
        EXPECT_NEAR(samples[i].end, static_cast<double>(i + 1), 0.1);
        std::cout << "forward second " << i + 1 << ": " << samples[i].mbytes_per_second()
                  << " MB/s, ratio to the 4 MB/s cap " << samples[i].mbytes_per_second() / 4 << "\n";
        EXPECT_NEAR(samples[i].mbytes_per_second(), 4.0, 1.0);
    }
    // Delivered live, not at the end: the first came well before the client ended.
    EXPECT_GT(std::chrono::duration<double>(ended - arrivals.front()).count(), 1.0);
    EXPECT_EQ(step.client_version.rfind("iperf 3.", 0), 0u);
    EXPECT_EQ(step.server_version.rfind("iperf 3.", 0), 0u);
    ASSERT_TRUE(step.server) << (step.server_error ? step.server_error->describe() : "");
    EXPECT_EQ(step.server->role, Iperf3Role::Server);
    const auto* srv = step.server->summary(F::ClientToServer);
    ASSERT_TRUE(srv && srv->received);
    EXPECT_FALSE(srv->sent);  // a 3.12 server does not know the client's count
    std::cout << "server received " << srv->received->mbytes_per_second() << " MB/s over "
              << srv->received->seconds << " s\n";
    EXPECT_NEAR(srv->received->mbytes_per_second(), 4.0, 1.0);
    const auto* cli = step.client.result.summary(F::ClientToServer);
    ASSERT_TRUE(cli && cli->sent && cli->received);
    EXPECT_FALSE(server->failure());
}

TEST_F(Iperf3Runner, ReverseTwoStreamsRateCapIsTheTotal) {
    REQUIRE_IPERF3();
    auto server = start_server();
    const auto s = spec(*server, F::ServerToClient, 2, 2, 3);
    EXPECT_NE(std::find(iperf3_client_argv(s).begin(), iperf3_client_argv(s).end(), "8000000"),
              iperf3_client_argv(s).end());
    std::vector<Iperf3Sample> samples;
    Iperf3RunHooks hooks;
    hooks.on_sample = [&](const Iperf3Sample& x) { samples.push_back(x); };
    const auto step = run_iperf3_step(remote_, *server, s, {}, hooks, "");
    EXPECT_EQ(step.client.outcome, Iperf3Outcome::Completed) << step.client.detail;
    ASSERT_EQ(samples.size(), 3u);  // the [SUM] lines only
    for (const auto& x : samples) {
        EXPECT_EQ(x.flow, F::ServerToClient);
        std::cout << "reverse " << x.start << "-" << x.end << ": " << x.mbytes_per_second() << " MB/s, ratio "
                  << x.mbytes_per_second() / 2 << "\n";
        EXPECT_NEAR(x.mbytes_per_second(), 2.0, 0.5);
    }
    ASSERT_TRUE(step.server) << (step.server_error ? step.server_error->describe() : "");
    const auto* srv = step.server->summary(F::ServerToClient);
    ASSERT_TRUE(srv && srv->sent);
    EXPECT_EQ(step.server->params->num_streams, 2);
    EXPECT_TRUE(step.server->params->reverse);
}

TEST_F(Iperf3Runner, ServerKilledMidRunIsInfrastructureNotAStall) {
    REQUIRE_IPERF3();
    auto server = start_server();
    const auto s = spec(*server, F::ServerToClient, 2, 1, 5);
    Iperf3RunHooks hooks;
    int seen = 0;
    hooks.on_sample = [&](const Iperf3Sample&) {
        if (++seen == 1) ::kill(server->pid(), SIGKILL);
    };
    const auto step = run_iperf3_step(remote_, *server, s, {}, hooks, "");
    EXPECT_EQ(step.client.outcome, Iperf3Outcome::ServerFailed) << step.client.detail;
    EXPECT_TRUE(step.client.infrastructure_failure());
    EXPECT_NE(step.client.detail.find("killed by signal 9"), std::string::npos) << step.client.detail;
    EXPECT_LT(step.client.seconds, 4.5);  // not left to run its full 5 s
}

TEST_F(Iperf3Runner, StalledDataPathIsAStallWhileTheServerLives) {
    REQUIRE_IPERF3();
    auto server = start_server();
    const auto s = spec(*server, F::ServerToClient, 2, 1, 5);
    Iperf3StallPolicy policy;
    policy.zero_s = 1.5;
    policy.silent_s = 2.5;
    Iperf3RunHooks hooks;
    std::vector<Iperf3Stall> stalls;
    std::optional<std::string> server_state_at_stall = "not asked";
    int seen = 0;
    hooks.on_sample = [&](const Iperf3Sample&) {
        if (++seen == 1) ::kill(server->pid(), SIGSTOP);  // the sender freezes: nothing arrives
    };
    hooks.on_stall = [&](const Iperf3Stall& st) {
        stalls.push_back(st);
        server_state_at_stall = server->failure();
    };
    hooks.keep_going = [&] { return stalls.empty(); };  // the watchdog ends the test at the first stall
    const auto run = run_iperf3_client(remote_, s, policy, hooks);
    ::kill(server->pid(), SIGCONT);
    ASSERT_FALSE(stalls.empty());
    std::cout << "stall: " << stalls.front().describe() << " after " << run.seconds << " s\n";
    EXPECT_FALSE(server_state_at_stall) << *server_state_at_stall;  // alive: not INFRA
    EXPECT_EQ(run.outcome, Iperf3Outcome::Cancelled) << run.detail;
    EXPECT_FALSE(run.infrastructure_failure());
    EXPECT_EQ(run.stalls.size(), stalls.size());
}

TEST_F(Iperf3Runner, AStepThatWentWrongGetsAFreshServerForTheNext) {
    REQUIRE_IPERF3();
    auto server = start_server();
    const pid_t first_pid = server->pid();
    const int port = server->port();
    Iperf3RunHooks stop_early;
    int seen = 0;
    stop_early.on_sample = [&](const Iperf3Sample&) { ++seen; };
    stop_early.keep_going = [&] { return seen == 0; };  // the watchdog ends it after one second
    const auto broken = run_iperf3_step(remote_, *server, spec(*server, F::ServerToClient, 1, 1, 4), {}, stop_early, "");
    EXPECT_EQ(broken.client.outcome, Iperf3Outcome::Cancelled) << broken.client.detail;
    EXPECT_FALSE(broken.server);
    EXPECT_NE(server->pid(), first_pid);  // restarted ...
    EXPECT_EQ(server->port(), port);      // ... on the run's port
    EXPECT_FALSE(server->failure());
    const auto next = run_iperf3_step(remote_, *server, spec(*server, F::ClientToServer, 1, 1, 1), {}, {}, "");
    EXPECT_EQ(next.client.outcome, Iperf3Outcome::Completed) << next.client.detail;
    ASSERT_TRUE(next.server) << (next.server_error ? next.server_error->describe() : "");
    ASSERT_TRUE(next.server->params);
    EXPECT_EQ(next.server->params->duration, 1);  // this step's document, not the broken one's
    EXPECT_FALSE(next.server->params->reverse);
}

TEST_F(Iperf3Runner, NothingListeningIsAnIperf3Error) {
    REQUIRE_IPERF3();
    const auto port = find_free_tcp_port("127.0.0.1", port_base(), 40);
    ASSERT_TRUE(port);
    Iperf3ClientSpec s;
    s.server_address = "127.0.0.1";
    s.port = *port;
    s.seconds = 1;
    s.connect_timeout_ms = 1000;
    const auto run = run_iperf3_client(remote_, s, {}, {});
    EXPECT_EQ(run.outcome, Iperf3Outcome::Iperf3Error);
    EXPECT_NE(run.detail.find("Connection refused"), std::string::npos) << run.detail;
    EXPECT_TRUE(run.result.samples.empty());
}

TEST_F(Iperf3Runner, ExceptionInASampleCallbackStopsTheClientAndPropagates) {
    REQUIRE_IPERF3();
    auto server = start_server();
    const auto s = spec(*server, F::ClientToServer, 1, 1, 4);
    Iperf3RunHooks hooks;
    hooks.on_sample = [](const Iperf3Sample&) { throw_infra("store is locked"); };
    const auto started = Clock::now();
    EXPECT_THROW(run_iperf3_client(remote_, s, {}, hooks), Error);
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - started).count(), 3.9);
}

}  // namespace
}  // namespace besrig

namespace besrig {
namespace {

// A stand-in iperf3 on the "board": a script replaying recorded output, so
// stall detection can be driven without timing a real network.
std::string fake_iperf3(const test::TempDir& dir, const std::string& body) {
    const auto p = dir.write("fake-iperf3", "#!/bin/sh\n" + body + "\n");
    std::filesystem::permissions(p, std::filesystem::perms::owner_all);
    return p.string();
}

std::string fixture_path(const std::string& name) {
    return (std::filesystem::path(BESRIG_TEST_DATA_DIR) / "iperf3" / name).string();
}

TEST(Iperf3Stalls, SilenceAfterTheFirstIntervalIsASilentStall) {
    test::TempDir dir;
    test::LocalShellRemote remote;
    Iperf3ClientSpec s;
    s.binary = fake_iperf3(dir, "head -n 4 '" + fixture_path("live-forward-4MBps.txt") + "'; exec sleep 20");
    s.server_address = "127.0.0.1";
    s.seconds = 3;
    s.flow = Iperf3Flow::ClientToServer;
    Iperf3StallPolicy policy;
    policy.silent_s = 1;
    std::vector<Iperf3Stall> stalls;
    std::vector<Iperf3Sample> samples;
    Iperf3RunHooks hooks;
    hooks.on_sample = [&](const Iperf3Sample& x) { samples.push_back(x); };
    hooks.on_stall = [&](const Iperf3Stall& x) { stalls.push_back(x); };
    hooks.keep_going = [&] { return stalls.empty(); };
    const auto run = run_iperf3_client(remote, s, policy, hooks);
    ASSERT_EQ(samples.size(), 1u);
    ASSERT_EQ(stalls.size(), 1u);
    EXPECT_EQ(stalls[0].kind, Iperf3Stall::Kind::Silent);
    EXPECT_NE(stalls[0].describe().find("no iperf3 interval for"), std::string::npos) << stalls[0].describe();
    EXPECT_EQ(run.outcome, Iperf3Outcome::Cancelled) << run.detail;
    EXPECT_LT(run.seconds, 10);  // stopped, not left to sleep its 20 s
}

TEST(Iperf3Stalls, IntervalsAtZeroAreAZeroStallOnceEach) {
    test::TempDir dir;
    test::LocalShellRemote remote;
    Iperf3ClientSpec s;
    s.binary = fake_iperf3(dir, "cat '" + fixture_path("live-reverse-stalled.txt") + "'; cat '" +
                                    fixture_path("live-reverse-stalled.err") + "' >&2");
    s.server_address = "127.0.0.1";
    s.flow = Iperf3Flow::ServerToClient;
    Iperf3StallPolicy policy;
    policy.zero_s = 2;
    std::vector<Iperf3Stall> stalls;
    Iperf3RunHooks hooks;
    hooks.on_stall = [&](const Iperf3Stall& x) { stalls.push_back(x); };
    const auto run = run_iperf3_client(remote, s, policy, hooks);
    ASSERT_EQ(stalls.size(), 1u);  // 2.00-3.00 and 3.00-4.00 at zero: one episode
    EXPECT_EQ(stalls[0].kind, Iperf3Stall::Kind::Zero);
    EXPECT_DOUBLE_EQ(stalls[0].last_moving_s, 2.0);
    EXPECT_EQ(run.outcome, Iperf3Outcome::Iperf3Error);
    EXPECT_EQ(run.detail, "iperf3: the server has terminated (exit 0)");
    EXPECT_EQ(run.result.samples.size(), 4u);
}

TEST(Iperf3Stalls, NonZeroExitWithoutAnErrorLineIsStillAnError) {
    test::TempDir dir;
    test::LocalShellRemote remote;
    Iperf3ClientSpec s;
    s.binary = fake_iperf3(dir, "echo 'iperf3: unrecognized option' >&2; exit 1");
    s.server_address = "127.0.0.1";
    const auto run = run_iperf3_client(remote, s, {}, {});
    EXPECT_EQ(run.outcome, Iperf3Outcome::Iperf3Error);
    EXPECT_EQ(run.exit_status, 1);
    EXPECT_EQ(run.detail, "iperf3 client exited with status 1: iperf3: unrecognized option");
    // And the argv it was given is the step's.
    ASSERT_EQ(remote.commands.size(), 1u);
    EXPECT_EQ(remote.commands[0][1], "-c");
}

TEST(Iperf3Stalls, RemoteVersionOfSomethingElseIsRefused) {
    test::TempDir dir;
    test::LocalShellRemote remote;
    const auto v = detect_remote_iperf3_version(remote, fake_iperf3(dir, "echo 'iperf version 2.1.9 (14 March 2023) pthreads'"),
                                                std::chrono::milliseconds(5000));
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.error().find("did not name an iperf3 3.x"), std::string::npos) << v.error();
    EXPECT_NE(v.error().find("iperf version 2.1.9"), std::string::npos) << v.error();
}

}  // namespace
}  // namespace besrig
