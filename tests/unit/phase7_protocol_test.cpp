// The Phase 7 protocol against fakes at every port: each failure path of
// BRIEF §4 (storm, wedge, dead host, dead iperf3 server, Ctrl-C) drives the
// verdict, forensics, rollback and what is stored.
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "phases/phase7/protocol.hpp"
#include "reports/store/store.hpp"
#include "tests/unit/fake_elf.hpp"
#include "tests/unit/fake_ports.hpp"
#include "tests/unit/test_support.hpp"
#include "util/interrupt.hpp"
#include "util/terminal.hpp"

namespace besrig::phase7 {
namespace {

using namespace besrig::phases;
using namespace besrig::test;

using test::TempDir;

class Phase7Test : public ::testing::Test {
protected:
    void SetUp() override {
        reset_interrupts();
        ConfigInputs in;
        in.file = dir.write("rig.json", R"({"profiles": {"t": {"fresh_chip": "reload", "uptime_window_s": 780,
            "steps": [{"name": "rx-4M", "direction": "rx", "rate_mbytes": 4, "streams": 1, "seconds": 10, "omit": 1},
                      {"name": "tx-max", "direction": "tx", "rate_mbytes": 0, "streams": 1, "seconds": 10, "omit": 1}]}},
            "phase7": {"profile": "t", "reps": 2, "counters": ["/sys/kernel/debug/bes2600/status"]},
            "timeouts": {"wedge_s": 3, "host_down_s": 5}, "kernel_log": {"storm": {"count": 10, "window_s": 5}}})");
        config = load_config(in).config;
        store = std::make_unique<Store>(dir.path() / "besrig.db");
        bundle = std::make_unique<Bundle>(dir.path() / "bundle", *store);
        add_build("b", "SRCB");
        add_build("c", "SRCC");
    }
    void TearDown() override { reset_interrupts(); }

    void add_build(const std::string& patch, const std::string& srcversion) {
        BuildMeta meta;
        meta.patch = patch;
        bundle->add(dir.write(patch + ".ko", test::fake_module({"srcversion=" + srcversion, "name=bes2600",
                                                                  "vermagic=6.1.0-56-amd64 SMP mod_unload "})),
                    meta);
    }

    Outcome run(const std::string& patch, bool baseline = false, Comparator* cmp = nullptr) {
        Request r;
        r.patch = patch;
        r.profile = "t";
        r.reps = 2;
        r.is_baseline = baseline;
        r.command = "besrig run phase7 --patch " + patch;
        Ports ports{board, traffic, log, tracing, forensics, power, cmp, [this] { return world.now; },
                    [this](double seconds) { world.now += seconds; }};
        Protocol p(config, *store, *bundle, ports, console);
        return p.run(r);
    }

    std::int64_t count(const std::string& sql, std::int64_t run_id) {
        Stmt s(store->db(), sql);
        s.bind(1, run_id);
        s.step();
        return s.get_int(0);
    }

    TempDir dir;
    RigConfig config;
    std::unique_ptr<Store> store;
    std::unique_ptr<Bundle> bundle;
    World world;
    FakeBoard board{world};
    FakeTraffic traffic{world};
    FakeLog log{world};
    FakeTracing tracing;
    FakeForensics forensics{world};
    FakePower power{world};
    Console console{false, false};
};

constexpr const char* k_samples =
    "SELECT count(*) FROM samples JOIN steps ON samples.step_id = steps.id JOIN reps ON steps.rep_id = reps.id "
    "WHERE reps.run_id = ?1";

TEST_F(Phase7Test, CleanBaselineStoresEverySampleAndPasses) {
    const auto o = run("b", true);
    EXPECT_EQ(o.verdict.name, "PASS");
    EXPECT_EQ(o.verdict.exit_code, 0);
    EXPECT_EQ(count(k_samples, o.run_id), 2 * 2 * 10);
    EXPECT_EQ(count("SELECT count(*) FROM reps WHERE run_id = ?1 AND status = 'ok' AND identity_after = 'SRCB'", o.run_id), 2);
    EXPECT_EQ(count("SELECT count(*) FROM receipts WHERE run_id = ?1", o.run_id), 7);
    const auto r = store->run(o.run_id);
    EXPECT_TRUE(r->is_baseline);
    EXPECT_EQ(r->status, "finished");
    EXPECT_EQ(world.forensics_calls, 0);
    EXPECT_EQ(world.running, "SRCB");
}

TEST_F(Phase7Test, ComparisonAgainstTheLatestBaselineDecides) {
    run("b", true);
    FakeComparator cmp;
    const auto o = run("c", false, &cmp);
    EXPECT_EQ(o.verdict.name, "EQUIVALENT");
    EXPECT_TRUE(store->run(o.run_id)->baseline_run.has_value());
    EXPECT_EQ(o.details["comparison"]["decision"], "EQUIVALENT");
}

TEST_F(Phase7Test, StormFailsTheRunCollectsForensicsAndRollsBack) {
    world.on_tick = [](World& w) {
        if (w.stress_s >= 13) {
            w.log.fail_events += 20;
            w.log.first_fail = "WARNING in wsm_release_tx_buffer";
            w.log.first_fail_offset_s = 13;
        }
        if (w.stress_s >= 14) {
            w.log.storm = true;
            w.log.storm_count = w.log.fail_events;
        }
    };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "FAIL");
    EXPECT_EQ(o.verdict.exit_code, 1);
    EXPECT_NE(o.verdict.reason.find("WARN storm at +13 s"), std::string::npos) << o.verdict.reason;
    EXPECT_EQ(world.forensics_calls, 1);
    EXPECT_EQ(world.running, "SRCB");  // rollback proven
    EXPECT_EQ(o.details["rollback"]["done"], true);
    EXPECT_FALSE(store->run(o.run_id)->rollback_pending);
    // Samples up to the failure are kept; the run did not go on to rep 2.
    EXPECT_GE(count(k_samples, o.run_id), 12);
    EXPECT_EQ(count("SELECT count(*) FROM reps WHERE run_id = ?1", o.run_id), 1);
}

TEST_F(Phase7Test, DeadDataPathWithLiveManagementIsWedged) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 15) w.data_ok = false;
    };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "WEDGED");
    EXPECT_EQ(o.verdict.exit_code, 1);
    EXPECT_EQ(world.forensics_calls, 1);
    EXPECT_EQ(world.running, "SRCB");
    EXPECT_EQ(o.details["wedge"]["kind"], "WEDGED");
    // Probes from the first second of silence: two failed and wedge_s (3 s)
    // of silence decide, counted from the last sample (second 14).
    EXPECT_LE(world.stress_s, 14 + 3);
    EXPECT_EQ(o.details["wedge"]["detail"].get<std::string>().find("2 probes over it failed") != std::string::npos ||
                  o.details["wedge"]["detail"].get<std::string>().find("3 probes over it failed") != std::string::npos,
              true)
        << o.details["wedge"]["detail"];
    // A probe that ran and got no reply proves the management link: no extra check.
    EXPECT_EQ(world.mgmt_checks, 0);
    // The decision is stored when it is made (the benchmark's anchor), not only at the end.
    EXPECT_EQ(count("SELECT count(*) FROM run_log WHERE run_id = ?1 AND step = 'watchdog' AND message LIKE 'WEDGED decided%'",
                    o.run_id), 1);
    EXPECT_TRUE(o.details["wedge"]["decided_at"].is_number());
}

TEST_F(Phase7Test, DeadManagementIsHostDownPowerCycledAndRolledBack) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 5) {
            w.data_ok = false;
            w.mgmt_up = false;
        }
    };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "HOST_DOWN");
    EXPECT_EQ(count("SELECT count(*) FROM run_log WHERE run_id = ?1 AND step = 'watchdog' AND message LIKE 'HOST_DOWN decided%'",
                    o.run_id), 1);
    EXPECT_TRUE(world.power_cycled);
    EXPECT_EQ(world.running, "SRCB");
    EXPECT_FALSE(store->run(o.run_id)->rollback_pending);
}

TEST_F(Phase7Test, DeadManagementIsDecidedByTheWatchdogAfterHostDownSeconds) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 5) {
            w.data_ok = false;
            w.mgmt_up = false;
        }
    };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "HOST_DOWN");
    // Last sample at 4 s of stress; silent for host_down_s (5 s) → decided in step 1.
    EXPECT_EQ(o.details["wedge"]["kind"], "HOST_DOWN");
    EXPECT_GE(o.details["wedge"]["silent_s"].get<double>(), 5.0);
    EXPECT_LE(world.stress_s, 10);
}

TEST_F(Phase7Test, ShortManagementOutageIsRiddenOut) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 3) w.mgmt_up = false;  // data path fine, management silent
        if (w.stress_s == 7) w.mgmt_up = true;   // back after 4 s without samples, before host_down_s (5 s)
    };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "PASS") << o.verdict.reason;
    EXPECT_FALSE(world.power_cycled);
    EXPECT_EQ(world.forensics_calls, 0);
    EXPECT_EQ(count("SELECT count(*) FROM run_log WHERE run_id = ?1 AND step = 'watchdog' AND message LIKE '%ridden out%'",
                    o.run_id),
              1);
    EXPECT_FALSE(store->run(o.run_id)->rollback_pending);
}

TEST_F(Phase7Test, ControllerKilledMidRunLeavesRollbackPending) {
    // What a SIGKILLed controller leaves: the flag is set before the board
    // changes and cleared only by a proven rollback or a clean end.
    world.on_tick = [this](World& w) {
        if (w.stress_s == 4) {
            Stmt q(store->db(), "SELECT rollback_pending FROM runs ORDER BY id DESC LIMIT 1");
            ASSERT_TRUE(q.step());
            EXPECT_EQ(q.get_int(0), 1);
        }
    };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "PASS");
    EXPECT_FALSE(store->run(o.run_id)->rollback_pending);  // a clean run leaves the patch on the board by design
}

TEST_F(Phase7Test, UnrecoverableBoardLeavesRollbackPending) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 5) {
            w.data_ok = false;
            w.mgmt_up = false;
        }
    };
    class NoPower : public PowerSwitch {
    public:
        bool available() override { return false; }
        void cycle() override {}
    } nopower;
    Request r;
    r.patch = "c";
    r.profile = "t";
    r.reps = 1;
    Ports ports{board, traffic, log, tracing, forensics, nopower, nullptr, [this] { return world.now; },
                [this](double seconds) { world.now += seconds; }};
    const auto o = Protocol(config, *store, *bundle, ports, console).run(r);
    EXPECT_EQ(o.verdict.name, "HOST_DOWN");
    EXPECT_TRUE(store->run(o.run_id)->rollback_pending);
    EXPECT_EQ(store->rollback_pending().size(), 1u);
}

TEST_F(Phase7Test, DeadIperfServerIsInfrastructureNotThePatch) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 7) w.server_alive = false;
    };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "INFRA_ERROR");
    EXPECT_EQ(o.verdict.exit_code, 2);
    EXPECT_EQ(world.running, "SRCB");  // the board was changed, so it is restored
    EXPECT_EQ(world.forensics_calls, 0);
}

// A board that panics takes the iperf3 stream with it, and the controller's
// iperf3 server may die too: with the management link silent that is the
// board (HOST_DOWN), not the rig.
TEST_F(Phase7Test, ServerDiedWhileManagementIsSilentIsHostDown) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 5) {
            w.data_ok = false;
            w.mgmt_up = false;
            w.server_alive = false;
        }
    };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "HOST_DOWN") << o.verdict.reason;
    EXPECT_EQ(o.verdict.exit_code, 1);
    EXPECT_TRUE(world.power_cycled);
    EXPECT_EQ(world.running, "SRCB");
    EXPECT_FALSE(store->run(o.run_id)->rollback_pending);
    EXPECT_EQ(o.details["wedge"]["kind"], "HOST_DOWN");
    EXPECT_GE(o.details["wedge"]["silent_s"].get<double>(), 5.0);
    EXPECT_EQ(count("SELECT count(*) FROM run_log WHERE run_id = ?1 AND step = 'watchdog' AND message LIKE "
                    "'HOST_DOWN decided%iperf3 server died while the management link was silent%'",
                    o.run_id), 1);
}

// Seen on the simulated board: the watchdog decides HOST_DOWN, and by the
// time the stream is stopped the server has died with its vanished peer.
TEST_F(Phase7Test, ServerDeadAfterTheHostDownDecisionStaysHostDown) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 5) {
            w.data_ok = false;
            w.mgmt_up = false;
        }
    };
    world.on_stop = [](World& w) { w.server_alive = false; };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "HOST_DOWN") << o.verdict.reason;
    EXPECT_EQ(o.verdict.exit_code, 1);
    EXPECT_TRUE(world.power_cycled);
    EXPECT_EQ(world.running, "SRCB");
}

TEST_F(Phase7Test, ServerDiedWhileTheBoardAnswersAfterAnOutageIsInfrastructure) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 5) {
            w.mgmt_up = false;
            w.server_alive = false;
        }
        if (w.stress_s == 6) w.mgmt_up = true;
    };
    // The first management probe fails; the link is back a second later.
    int asked = 0;
    class Flaky : public FakeBoard {
    public:
        Flaky(World& w, int& asked) : FakeBoard(w), w_(w), asked_(asked) {}
        bool management_alive() override {
            if (++asked_ == 1) {
                w_.mgmt_up = false;
                return false;
            }
            w_.mgmt_up = true;
            return true;
        }

    private:
        World& w_;
        int& asked_;
    } flaky(world, asked);
    Request r;
    r.patch = "c";
    r.profile = "t";
    r.reps = 1;
    Ports ports{flaky, traffic, log, tracing, forensics, power, nullptr, [this] { return world.now; },
                [this](double seconds) { world.now += seconds; }};
    const auto o = Protocol(config, *store, *bundle, ports, console).run(r);
    EXPECT_EQ(o.verdict.name, "INFRA_ERROR") << o.verdict.reason;
    EXPECT_EQ(o.verdict.exit_code, 2);
    EXPECT_GE(asked, 2);
    EXPECT_FALSE(world.power_cycled);
    EXPECT_EQ(world.running, "SRCB");
}

TEST_F(Phase7Test, ClientFailedWhileManagementIsSilentIsHostDown) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 5) {
            w.data_ok = false;
            w.mgmt_up = false;
            w.client_fails = true;
        }
    };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "HOST_DOWN") << o.verdict.reason;
    EXPECT_TRUE(world.power_cycled);
    EXPECT_EQ(world.running, "SRCB");
}

TEST_F(Phase7Test, ClientFailedWhileTheBoardAnswersIsInfrastructure) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 5) w.client_fails = true;
    };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "INFRA_ERROR") << o.verdict.reason;
    EXPECT_NE(o.verdict.reason.find("iperf3 client failed"), std::string::npos) << o.verdict.reason;
    EXPECT_FALSE(world.power_cycled);
    EXPECT_EQ(world.running, "SRCB");
}

// The management link is cut: samples stop, the watchdog's probe (which runs
// over that link) blocks through the whole outage and is the one to see the
// link back. The outage is still logged as ridden out.
TEST_F(Phase7Test, OutageNoticedOnlyByABlockedProbeIsLoggedAsRiddenOut) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 3) w.mgmt_up = false;
    };
    world.on_probe = [](World& w) {
        if (!w.mgmt_up) {
            w.now += 4;  // the probe's handshake waits out the rest of the outage
            w.mgmt_up = true;
        }
    };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "PASS") << o.verdict.reason;
    EXPECT_FALSE(world.power_cycled);
    EXPECT_EQ(count("SELECT count(*) FROM run_log WHERE run_id = ?1 AND step = 'watchdog' AND message LIKE '%ridden out%'",
                    o.run_id),
              1);
}

// The loop that runs the watchdog is blocked through the outage (an ftrace
// read over the cut link); when the link is back the buffered samples arrive
// before any watchdog round: the outage is logged all the same.
TEST_F(Phase7Test, OutageThatBlockedTheWatchdogIsLoggedWhenSamplesReturn) {
    class Blocked : public FakeTraffic {
    public:
        explicit Blocked(World& w) : FakeTraffic(w), w_(w) {}
        StepResult run_step(const StepConfig& step, const std::string&, const std::function<void(const Sample&)>& on_sample,
                            const std::function<bool()>& keep_going) override {
            for (int t = 1; t <= step.seconds; ++t) {
                w_.now += 1;
                w_.stress_s += 1;
                if (w_.stress_s == 4) w_.now += 12;  // blocked 12 s, then the buffered samples arrive at once
                else if (!keep_going()) return {StepResult::Status::Stopped, "", "3.12", "3.12"};
                on_sample({static_cast<double>(t), w_.rate, t <= step.omit});
            }
            return {StepResult::Status::Ok, "", "3.12", "3.12"};
        }

    private:
        World& w_;
    } blocked(world);
    Request r;
    r.patch = "c";
    r.profile = "t";
    r.reps = 1;
    Ports ports{board, blocked, log, tracing, forensics, power, nullptr, [this] { return world.now; },
                [this](double seconds) { world.now += seconds; }};
    const auto o = Protocol(config, *store, *bundle, ports, console).run(r);
    EXPECT_EQ(o.verdict.name, "PASS") << o.verdict.reason;
    EXPECT_FALSE(world.power_cycled);
    EXPECT_EQ(count("SELECT count(*) FROM run_log WHERE run_id = ?1 AND step = 'watchdog' AND message LIKE "
                    "'management link silent for 13 s%samples arrive again%ridden out%'",
                    o.run_id),
              1);
}

TEST_F(Phase7Test, InterruptRollsBackAndMarksTheRunAborted) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 8) simulate_interrupt();
    };
    const auto o = run("c");
    EXPECT_EQ(o.verdict.name, "ABORTED");
    EXPECT_EQ(store->run(o.run_id)->status, "aborted");
    EXPECT_EQ(world.running, "SRCB");
    EXPECT_EQ(count(k_samples, o.run_id), 7);  // everything measured before ^C is kept
}

TEST_F(Phase7Test, SecondInterruptSkipsRollbackAndSaysSo) {
    world.on_tick = [](World& w) {
        if (w.stress_s == 8) {
            simulate_interrupt();
            simulate_interrupt();
        }
    };
    const auto o = run("c");
    EXPECT_EQ(world.running, "SRCC");
    EXPECT_TRUE(store->run(o.run_id)->rollback_pending);
}

TEST_F(Phase7Test, RefusesToStartWithoutARollbackBuild) {
    config.rollback_patch = "nope";
    try {
        run("c");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Usage);
        EXPECT_NE(std::string(e.what()).find("cannot restore"), std::string::npos);
    }
    EXPECT_TRUE(store->runs({}).empty());
    EXPECT_TRUE(world.calls.empty());
}

}  // namespace
}  // namespace besrig::phase7
