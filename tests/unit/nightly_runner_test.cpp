// `besrig nightly` below the CLI: the nightly config reader (the shipped
// example included), the lock against overlapping nightlies, and a whole
// night over the fakes of fake_ports.hpp — baseline first when there is none,
// a failing patch that does not stop the next, a patch that cannot start —
// and the exit-code decision.
#include <gtest/gtest.h>
#include <unistd.h>

#include "config/loader.hpp"
#include "config/nightly.hpp"
#include "driver/bundle/bundle.hpp"
#include "phases/nightly/runner.hpp"
#include "reports/store/store.hpp"
#include "tests/unit/fake_elf.hpp"
#include "tests/unit/fake_ports.hpp"
#include "tests/unit/test_support.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/interrupt.hpp"
#include "util/terminal.hpp"

namespace besrig {
namespace {

using namespace besrig::test;

std::string config_error(const std::string& text) {
    TempDir dir;
    try {
        read_nightly_config(dir.write("nightly.json", text));
    } catch (const Error& e) {
        const std::string msg = e.what();
        const auto at = msg.find("nightly.json");
        return at == std::string::npos ? msg : msg.substr(at);
    }
    return "(accepted)";
}

TEST(NightlyConfig, TheShippedExampleParses) {
    const auto c = read_nightly_config(std::filesystem::path(BESRIG_SOURCE_DIR) / "config/examples/nightly.json");
    EXPECT_EQ(c.rig_config->string(), "/etc/besrig/rig.json");
    EXPECT_EQ(c.store->string(), "/var/lib/besrig/besrig.db");
    EXPECT_EQ(c.profile, "ramp");
    EXPECT_EQ(c.reps, 3);
    EXPECT_TRUE(c.interleave);
    EXPECT_FALSE(c.baseline_run);  // "latest"
    ASSERT_EQ(c.patches.size(), 2u);
    EXPECT_EQ(c.patches[0].name, "c-prep");
    EXPECT_EQ(c.patches[0].expect, "no-delta");
    EXPECT_EQ(c.patches[0].margin_pct, 3.0);
    EXPECT_EQ(c.patches[1].name, "c-v2");
    EXPECT_EQ(c.patches[1].expect, "any");  // "change": two-sided
    EXPECT_FALSE(c.patches[1].margin_pct);
    EXPECT_EQ(c.report_nights, 14);
    EXPECT_EQ(substitute_date(c.report_markdown, "2026-11-25"), "/var/lib/besrig/reports/nightly-2026-11-25.md");
    EXPECT_EQ(substitute_date(c.report_html, "2026-11-25"), "/var/lib/besrig/reports/nightly-2026-11-25.html");
    EXPECT_EQ(c.lock_file, "/run/lock/besrig-nightly.lock");
    EXPECT_EQ(c.log_file, "/var/log/besrig/nightly.log");
}

TEST(NightlyConfig, CommentsDefaultsAndRelativePaths) {
    TempDir dir;
    const auto c = read_nightly_config(dir.write("etc/nightly.json", R"(// only the patches are required
        { "patches": [ /* the control */ { "name": "b" }, { "name": "c-v2", "expect": "improve" } ],
          "baseline": 7, "report": { "markdown": "out/n-{date}.md" }, "log_file": "n.log" })"));
    EXPECT_FALSE(c.rig_config);
    EXPECT_EQ(c.profile, "");
    EXPECT_EQ(c.reps, 0);
    EXPECT_FALSE(c.interleave);
    EXPECT_EQ(c.baseline_run, 7);
    EXPECT_EQ(c.patches[0].expect, "");  // judged by its Phase 5 prediction
    EXPECT_EQ(c.patches[1].expect, "improve");
    EXPECT_EQ(c.report_markdown, (dir.path() / "etc/out/n-{date}.md").string());
    EXPECT_EQ(c.report_html, "");
    EXPECT_EQ(c.log_file, dir.path() / "etc/n.log");
    EXPECT_EQ(c.lock_file.filename(), "nightly.lock");
}

TEST(NightlyConfig, RefusesBadValuesNamingFileKeyExpectationAndValue) {
    EXPECT_EQ(config_error(R"({"patches": [{"name": "b"}], "reps": "3"})"),
              "nightly.json: reps: expected an integer 1..1000, got \"3\"");
    EXPECT_EQ(config_error(R"({"patches": []})"),
              "nightly.json: patches: expected a non-empty list of {name, expect, margin_pct}, got []");
    EXPECT_EQ(config_error(R"({"patches": [{"name": "b", "expect": "better"}]})"),
              "nightly.json: patches[0].expect: expected one of no-delta, improve, change, got \"better\"");
    EXPECT_EQ(config_error(R"({"patches": [{"name": "b"}, {"name": "b"}]})"),
              "nightly.json: patches[1].name: expected a patch listed once, got \"b\"");
    EXPECT_EQ(config_error(R"({"patches": [{"name": "../x"}]})"),
              "nightly.json: patches[0].name: expected a patch name of letters, digits, '-', '_' or '.', got \"../x\"");
    EXPECT_EQ(config_error(R"({"patches": [{"name": "b", "margin_pct": 0}]})"),
              "nightly.json: patches[0].margin_pct: expected a number 0.1..50, got 0");
    EXPECT_EQ(config_error(R"({"patches": [{"name": "b"}], "baseline": "newest"})"),
              "nightly.json: baseline: expected \"latest\" or a run id, got \"newest\"");
    EXPECT_EQ(config_error(R"({"patches": [{"name": "b"}], "report": {"nigths": 3}})"),
              "nightly.json: report.nigths: unknown key (did you mean 'report.nights'?)");
    EXPECT_EQ(config_error(R"({"patchs": []})"), "nightly.json: patchs: unknown key (did you mean 'patches'?)");
    EXPECT_EQ(config_error(R"({"interleave": 1, "patches": [{"name": "b"}]})"),
              "nightly.json: interleave: expected true or false, got 1");
    EXPECT_NE(config_error("{ \"patches\": [ }").find("invalid JSON"), std::string::npos);
}

TEST(NightlyLock, ASecondHolderIsRefusedNamingTheFirstPid) {
    TempDir dir;
    const auto path = dir.path() / "run/nightly.lock";
    auto first = FileLock::acquire(path, "another besrig nightly", "besrig nightly --config a.json");
    try {
        FileLock::acquire(path, "another besrig nightly", "besrig nightly --config b.json");
        FAIL() << "second lock taken";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Infra);
        const std::string msg = e.what();
        EXPECT_NE(msg.find("another besrig nightly is already running (pid " + std::to_string(::getpid())), std::string::npos) << msg;
        EXPECT_NE(msg.find("a.json"), std::string::npos) << msg;
    }
    first.reset();
    EXPECT_NO_THROW(FileLock::acquire(path, "another besrig nightly", "again"));
}

// A session over the shared fakes; each one starts with a quiet log, like
// the fresh LiveLogWatch every real session gets.
class FakeSession : public nightly::Session {
public:
    FakeSession(World& w, Bundle& bundle, FakeComparator& cmp)
        : bundle_(bundle), cmp_(cmp), board_(w), traffic_(w), log_(w), forensics_(w), power_(w), world_(w) {}
    Bundle& bundle() override { return bundle_; }
    phase7::Ports ports(const RigConfig&) override {
        return {board_, traffic_, log_, tracing_, forensics_, power_, &cmp_, [this] { return world_.now; },
                [this](double seconds) { world_.now += seconds; }};
    }

private:
    Bundle& bundle_;
    FakeComparator& cmp_;
    FakeBoard board_;
    FakeTraffic traffic_;
    FakeLog log_;
    FakeTracing tracing_;
    FakeForensics forensics_;
    FakePower power_;
    World& world_;
};

class FakeSessions : public nightly::SessionFactory {
public:
    FakeSessions(World& w, Bundle& bundle, FakeComparator& cmp) : w_(w), bundle_(bundle), cmp_(cmp) {}
    std::unique_ptr<nightly::Session> open(const std::string& patch) override {
        opened.push_back(patch);
        if (busy) throw_infra("board ohm is in use by another besrig");
        w_.log = {};
        return std::make_unique<FakeSession>(w_, bundle_, cmp_);
    }
    std::vector<std::string> opened;
    bool busy = false;

private:
    World& w_;
    Bundle& bundle_;
    FakeComparator& cmp_;
};

class NightlyRunnerTest : public ::testing::Test {
protected:
    void SetUp() override {
        reset_interrupts();
        ConfigInputs in;
        in.file = dir.write("rig.json", R"({"profiles": {"t": {"fresh_chip": "reload", "uptime_window_s": 780,
            "steps": [{"name": "rx-4M", "direction": "rx", "rate_mbytes": 4, "streams": 1, "seconds": 5, "omit": 1}]}},
            "phase7": {"profile": "t", "reps": 2}, "timeouts": {"wedge_s": 3}})");
        config = load_config(in).config;
        store = std::make_unique<Store>(dir.path() / "besrig.db");
        bundle = std::make_unique<Bundle>(dir.path() / "bundle", *store);
        for (const auto& [patch, src] : std::vector<std::pair<std::string, std::string>>{
                 {"b", "SRCB"}, {"c", "SRCC"}, {"c-prep", "SRCP"}}) {
            BuildMeta meta;
            meta.patch = patch;
            bundle->add(dir.write(patch + ".ko", fake_module({"srcversion=" + src, "name=bes2600",
                                                              "vermagic=6.1.0-56-amd64 SMP mod_unload "})),
                        meta);
        }
        sessions = std::make_unique<FakeSessions>(world, *bundle, cmp);
        plan.profile = "t";
        plan.reps = 2;
        plan.command = "besrig nightly --config n.json";
    }
    void TearDown() override { reset_interrupts(); }

    nightly::NightResult night(std::vector<std::string> patches) {
        plan.patches.clear();
        for (const auto& p : patches) plan.patches.push_back({p, "", std::nullopt});
        nightly::Runner runner(config, *store, *sessions, console, [this](const std::string& l) { log.push_back(l); });
        return runner.run(plan);
    }
    bool logged(const std::string& text) const {
        for (const auto& l : log)
            if (l.find(text) != std::string::npos) return true;
        return false;
    }

    TempDir dir;
    RigConfig config;
    std::unique_ptr<Store> store;
    std::unique_ptr<Bundle> bundle;
    World world;
    FakeComparator cmp;
    std::unique_ptr<FakeSessions> sessions;
    Console console{false, false};
    nightly::Plan plan;
    std::vector<std::string> log;
};


TEST_F(NightlyRunnerTest, RunsTheBaselineFirstWhenThereIsNoneThenEveryPatch) {
    cmp.decision = "EQUIVALENT";
    const auto n = night({"c-prep", "c"});
    EXPECT_TRUE(n.baseline_ran);
    ASSERT_TRUE(n.baseline_run);
    EXPECT_TRUE(store->run(*n.baseline_run)->is_baseline);
    EXPECT_TRUE(logged("no baseline for rig ohm, profile t, kernel 6.1.0-56-amd64: running the baseline first"));
    ASSERT_EQ(n.patches.size(), 2u);
    for (const auto& p : n.patches) {
        EXPECT_EQ(p.verdict, "EQUIVALENT") << p.patch << ": " << p.reason;
        ASSERT_TRUE(p.run_id);
        EXPECT_EQ(store->run(*p.run_id)->baseline_run, n.baseline_run);
        EXPECT_NE(p.reason.find("no Phase 5 prediction"), std::string::npos) << p.reason;
    }
    EXPECT_EQ((std::vector<std::string>{"b", "c-prep", "c"}), sessions->opened);
    EXPECT_EQ(nightly::overall_exit(n, 0), 0);

    // The next night reuses that baseline.
    log.clear();
    const auto next = night({"c-prep"});
    EXPECT_FALSE(next.baseline_ran);
    EXPECT_EQ(next.baseline_run, n.baseline_run);
    EXPECT_TRUE(logged("baseline: run " + std::to_string(*n.baseline_run) + " (latest for rig ohm"));
}

TEST_F(NightlyRunnerTest, AFailingPatchIsRolledBackAndTheNextStillRuns) {
    world.on_tick = [](World& w) {
        if (w.running == "SRCC") {
            w.log.fail_events += 1;
            w.log.first_fail = "WARNING in wsm_release_tx_buffer";
        }
    };
    const auto n = night({"c", "c-prep"});
    ASSERT_EQ(n.patches.size(), 2u);
    EXPECT_EQ(n.patches[0].verdict, "FAIL") << n.patches[0].reason;
    EXPECT_EQ(n.patches[0].exit_code, 1);
    EXPECT_EQ(n.patches[1].verdict, "EQUIVALENT") << n.patches[1].reason;
    EXPECT_TRUE(logged("c: FAIL (run "));
    EXPECT_TRUE(logged("c-prep: EQUIVALENT (run "));
    // c's failure was investigated and rolled back before c-prep ran.
    EXPECT_EQ(world.forensics_calls, 1);
    ASSERT_TRUE(n.patches[0].run_id);
    EXPECT_FALSE(store->run(*n.patches[0].run_id)->rollback_pending);
    EXPECT_EQ(world.running, "SRCP");  // a passing run leaves its build running, as `run phase7` does
    EXPECT_EQ(nightly::overall_exit(n, 0), 1);
    EXPECT_EQ(nightly::overall_exit(n, 2), 1);  // a failure is not hidden behind a rig problem
}

TEST_F(NightlyRunnerTest, APatchThatCannotStartIsNotRunAndTheNightIsAnInfraError) {
    const auto n = night({"c-v9", "c-prep"});
    ASSERT_EQ(n.patches.size(), 2u);
    EXPECT_EQ(n.patches[0].verdict, "NOT_RUN");
    EXPECT_NE(n.patches[0].reason.find("no build of patch 'c-v9'"), std::string::npos) << n.patches[0].reason;
    EXPECT_EQ(n.patches[1].verdict, "EQUIVALENT");
    EXPECT_EQ(nightly::overall_exit(n, 0), 2);
}

TEST_F(NightlyRunnerTest, ABusyBoardOrAMissingBaselineRunsNoPatch) {
    sessions->busy = true;
    auto n = night({"c-prep"});
    EXPECT_NE(n.baseline_problem.find("in use by another besrig"), std::string::npos) << n.baseline_problem;
    EXPECT_EQ(n.patches[0].verdict, "NOT_RUN");
    EXPECT_EQ(nightly::overall_exit(n, 0), 2);

    sessions->busy = false;
    plan.baseline_run = 4242;
    n = night({"c-prep"});
    EXPECT_EQ(n.baseline_problem, "baseline run 4242 is not in the store");
    EXPECT_EQ(n.patches[0].verdict, "NOT_RUN");
    EXPECT_EQ(nightly::overall_exit(n, 0), 2);
}

TEST_F(NightlyRunnerTest, AFailingBaselineRunsNoPatch) {
    world.on_tick = [](World& w) {
        if (w.running == "SRCB") w.log.fail_events += 1;
    };
    const auto n = night({"c-prep"});
    EXPECT_TRUE(n.baseline_ran);
    EXPECT_FALSE(n.baseline_run);
    EXPECT_NE(n.baseline_problem.find("ended FAIL"), std::string::npos) << n.baseline_problem;
    EXPECT_EQ(n.patches[0].verdict, "NOT_RUN");
    EXPECT_EQ(nightly::overall_exit(n, 0), 2);
}

TEST_F(NightlyRunnerTest, AnInterruptStopsTheNightBeforeTheNextPatch) {
    world.on_tick = [](World& w) {
        if (w.running == "SRCP" && interrupt_count() == 0) simulate_interrupt();
    };
    const auto n = night({"c-prep", "c"});
    EXPECT_TRUE(n.interrupted);
    EXPECT_EQ(n.patches[0].verdict, "ABORTED");
    EXPECT_EQ(n.patches[1].verdict, "NOT_RUN");
    EXPECT_EQ((std::vector<std::string>{"b", "c-prep"}), sessions->opened);
    EXPECT_EQ(nightly::overall_exit(n, 0), 2);
}

TEST(NightlyExit, TheDecision) {
    nightly::NightResult n;
    n.baseline_run = 1;
    const auto with = [&](std::vector<std::string> verdicts) {
        n.patches.clear();
        for (const auto& v : verdicts) n.patches.push_back({"p", 2, v, "", 0});
        return n;
    };
    EXPECT_EQ(nightly::overall_exit(with({"EQUIVALENT", "IMPROVED", "PASS"}), 0), 0);
    // INCONCLUSIVE is no failure: the report shows the reps it would need.
    EXPECT_EQ(nightly::overall_exit(with({"INCONCLUSIVE", "IMPROVED"}), 0), 0);
    EXPECT_EQ(nightly::overall_exit(with({"EQUIVALENT", "IMPROVED"}), 1), 1);  // the trend moved down
    for (const char* v : {"FAIL", "WEDGED", "HOST_DOWN", "REGRESSED"})
        EXPECT_EQ(nightly::overall_exit(with({"EQUIVALENT", v}), 0), 1) << v;
    for (const char* v : {"INFRA_ERROR", "ABORTED", "NOT_RUN"})
        EXPECT_EQ(nightly::overall_exit(with({"EQUIVALENT", v}), 0), 2) << v;
    EXPECT_EQ(nightly::overall_exit(with({"INFRA_ERROR", "REGRESSED"}), 0), 1);
    EXPECT_EQ(nightly::overall_exit(with({"EQUIVALENT"}), 2), 2);  // the report could not be written
    n.baseline_problem = "no baseline";
    EXPECT_EQ(nightly::overall_exit(with({}), 0), 2);
}

}  // namespace
}  // namespace besrig
