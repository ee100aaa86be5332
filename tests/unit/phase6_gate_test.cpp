// Phase 6 against fakes: the gate passes a clean build, and every failure
// (build, traffic, kernel log, unreachable board) rolls back with proof.
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "phases/phase6/deploy_gate.hpp"
#include "reports/store/store.hpp"
#include "tests/unit/fake_elf.hpp"
#include "tests/unit/fake_ports.hpp"
#include "tests/unit/test_support.hpp"
#include "util/interrupt.hpp"
#include "util/terminal.hpp"

namespace besrig::phase6 {
namespace {

using namespace besrig::test;

class Phase6Test : public ::testing::Test {
protected:
    void SetUp() override {
        reset_interrupts();
        config = load_config({}).config;
        store = std::make_unique<Store>(dir.path() / "besrig.db");
        bundle = std::make_unique<Bundle>(dir.path() / "bundle", *store);
        for (auto [p, v] : {std::pair{"b", "SRCB"}, std::pair{"c-prep", "SRCP"}}) {
            BuildMeta meta;
            meta.patch = p;
            bundle->add(dir.write(std::string(p) + ".ko",
                                  fake_module({std::string("srcversion=") + v, "vermagic=6.1.0-56-amd64 SMP "})),
                        meta);
        }
        world.running = "SRCB";
        world.installed = "SRCB";
    }

    Outcome run(const std::string& patch, BuildGate gate = {}) {
        if (!gate) gate = [this](const std::string& p) {
            auto b = bundle->latest(p);
            if (!b) throw Error(ErrorKind::PatchFailure, "patch '" + p + "' does not apply: 0001-x.patch hunk #2 FAILED");
            return *b;
        };
        Request r;
        r.patch = patch;
        DeployGate g(config, *store, *bundle, board, traffic, log, gate, console);
        return g.run(r);
    }

    TempDir dir;
    RigConfig config;
    std::unique_ptr<Store> store;
    std::unique_ptr<Bundle> bundle;
    World world;
    FakeBoard board{world};
    FakeTraffic traffic{world};
    FakeLog log{world};
    Console console{false, false};
};

TEST_F(Phase6Test, CleanPatchPassesAndStaysRunning) {
    const auto o = run("c-prep");
    EXPECT_EQ(o.verdict.name, "PASS");
    EXPECT_EQ(world.running, "SRCP");
    EXPECT_EQ(store->run(o.run_id)->status, "finished");
}

TEST_F(Phase6Test, BuildFailureIsAPatchFailureBeforeTheBoardIsTouched) {
    const auto o = run("c-broken");
    EXPECT_EQ(o.verdict.name, "FAIL");
    EXPECT_EQ(o.verdict.exit_code, 1);
    EXPECT_NE(o.verdict.reason.find("hunk #2 FAILED"), std::string::npos);
    EXPECT_EQ(world.running, "SRCB");
    EXPECT_TRUE(world.calls.empty());
}

TEST_F(Phase6Test, NoTrafficFailsAndRollsBackWithProof) {
    world.on_tick = [](World& w) { w.data_ok = false; };  // samples at 0 MB/s
    const auto o = run("c-prep");
    EXPECT_EQ(o.verdict.name, "FAIL");
    EXPECT_NE(o.verdict.reason.find("moved no traffic"), std::string::npos) << o.verdict.reason;
    EXPECT_EQ(world.running, "SRCB");
    EXPECT_FALSE(store->run(o.run_id)->rollback_pending);
}

TEST_F(Phase6Test, SplatAfterLoadFailsAndRollsBack) {
    world.on_tick = [](World& w) {
        w.log.fail_events = 1;
        w.log.first_fail = "BUG: scheduling while atomic";
    };
    const auto o = run("c-prep");
    EXPECT_EQ(o.verdict.name, "FAIL");
    EXPECT_NE(o.verdict.reason.find("scheduling while atomic"), std::string::npos) << o.verdict.reason;
    EXPECT_EQ(world.running, "SRCB");
}

TEST_F(Phase6Test, PreflightProblemIsInfrastructure) {
    world.problems = {"iperf3 missing on the board"};
    const auto o = run("c-prep");
    EXPECT_EQ(o.verdict.name, "INFRA_ERROR");
    EXPECT_EQ(o.verdict.exit_code, 2);
    EXPECT_EQ(world.running, "SRCB");
}

TEST_F(Phase6Test, InterruptAfterTheLoadRollsBackAndAborts) {
    world.on_tick = [](World&) {
        if (!interrupted()) simulate_interrupt();
    };
    const auto o = run("c-prep");
    EXPECT_EQ(o.verdict.name, "ABORTED");
    EXPECT_EQ(store->run(o.run_id)->status, "aborted");
    EXPECT_EQ(world.running, "SRCB");
    EXPECT_FALSE(store->run(o.run_id)->rollback_pending);
}

TEST_F(Phase6Test, SecondInterruptSkipsTheRollbackLoudlyAndRecordsItPending) {
    world.on_tick = [](World&) {
        while (interrupt_count() < 2) simulate_interrupt();
    };
    const auto o = run("c-prep");
    EXPECT_EQ(o.verdict.name, "ABORTED");
    EXPECT_EQ(world.running, "SRCP");  // not rolled back: the user asked to leave now
    EXPECT_TRUE(store->run(o.run_id)->rollback_pending);
    Stmt q(store->db(), "SELECT message FROM run_log WHERE run_id = ?1 AND step = 'rollback'");
    q.bind(1, o.run_id);
    ASSERT_TRUE(q.step());
    EXPECT_NE(q.get_text(0).find("rollback skipped"), std::string::npos) << q.get_text(0);
    reset_interrupts();
}

}  // namespace
}  // namespace besrig::phase6
