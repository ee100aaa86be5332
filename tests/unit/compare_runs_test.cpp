// Comparison over a real SQLite store filled by the test (the real Store class):
// guard rails, warm-up exclusion, kernel-log fingerprints, predictions, output.
#include <gtest/gtest.h>

#include <cmath>

#include "phases/compare/compare_runs.hpp"
#include "phases/compare/comparison_text.hpp"
#include "tests/unit/test_support.hpp"
#include "util/error.hpp"

namespace besrig::compare {
namespace {

using test::TempDir;

struct StepSpec {
    std::string name;
    std::string direction;
    double rate;
};

const std::vector<StepSpec> k_steps = {{"rx-1M", "rx", 1}, {"rx-max", "rx", 0}, {"tx-1M", "tx", 1}, {"tx-max", "tx", 0}};

class CompareRuns : public ::testing::Test {
protected:
    TempDir dir;
    Store store{dir.path() / "besrig.db"};

    std::int64_t run(const std::string& patch, const std::string& profile = "ramp", bool baseline = false,
                     const std::string& config = "{}") {
        NewRun nr;
        nr.kind = baseline ? "baseline" : "phase7";
        nr.patch = patch;
        nr.rig = "sim";
        nr.kernel_release = "6.1.0-test";
        nr.profile = profile;
        nr.is_baseline = baseline;
        nr.config_json = config;
        return store.begin_run(nr);
    }

    // One rep whose step s runs at base[s] * factor, with small per-rep jitter,
    // plus two warm-up seconds at 1000 MB/s that must not count.
    void rep(std::int64_t run_id, int idx, double factor, const std::string& status = "finished",
             const std::vector<StepSpec>& steps = k_steps, const std::string& patch = "") {
        Stmt r(store.db(), "INSERT INTO reps (run_id, idx, patch, started_at, status) VALUES (?, ?, ?, 0, ?)");
        r.bind(1, run_id).bind(2, idx).bind(3, patch).bind(4, status).exec();
        const auto rep_id = store.db().last_insert_id();
        for (std::size_t s = 0; s < steps.size(); ++s) {
            Stmt st(store.db(),
                    "INSERT INTO steps (rep_id, idx, name, direction, rate_mbytes, streams, seconds, omit, started_at, "
                    "status) VALUES (?, ?, ?, ?, ?, 1, 30, 2, 0, 'finished')");
            st.bind(1, rep_id).bind(2, static_cast<int>(s)).bind(3, steps[s].name).bind(4, steps[s].direction)
                .bind(5, steps[s].rate).exec();
            const auto step_id = store.db().last_insert_id();
            const double level = (steps[s].rate > 0 ? steps[s].rate : 20.0) * factor *
                                 (1.0 + 0.003 * ((idx + static_cast<int>(s)) % 3 - 1));
            for (int t = 0; t < 30; ++t) {
                Stmt sm(store.db(), "INSERT INTO samples (step_id, t, mbytes_per_s, omitted) VALUES (?, ?, ?, ?)");
                const bool warm = t < 2;
                sm.bind(1, step_id).bind(2, static_cast<double>(t)).bind(3, warm ? 1000.0 : level)
                    .bind(4, warm ? 1 : 0).exec();
            }
        }
    }

    void reps(std::int64_t run_id, double factor) {
        for (int i = 1; i <= 3; ++i) rep(run_id, i, factor);
        store.finish_run(run_id, "PASS", "", 0);
    }

    void kernel_event(std::int64_t run_id, const std::string& fingerprint, int count) {
        Stmt e(store.db(),
               "INSERT INTO kernel_events (run_id, offset_s, class, title, fingerprint, count, severity) "
               "VALUES (?, 13, 'WARNING', 'in wsm_release_tx_buffer', ?, ?, 'fail')");
        e.bind(1, run_id).bind(2, fingerprint).bind(3, count).exec();
    }

    void predict(const std::string& patch, const std::string& metric, const std::string& spec) {
        Stmt p(store.db(),
               "INSERT INTO predictions (patch, metric, spec, created_at, hash) VALUES (?, ?, ?, 0, 'h')");
        p.bind(1, patch).bind(2, metric).bind(3, spec).exec();
    }
};

stats::DecisionRule no_delta() { return {}; }

TEST_F(CompareRuns, SameThroughputIsEquivalentAndWarmUpIsExcluded) {
    const auto b = run("b", "ramp", true);
    reps(b, 1.0);
    const auto p = run("c-prep");
    reps(p, 1.0);
    const auto c = compare_runs(store, b, p, no_delta());
    EXPECT_EQ(c.verdict, "EQUIVALENT") << render_text(c);
    EXPECT_EQ(c.exit_code(), 0);
    ASSERT_TRUE(c.stats);
    ASSERT_EQ(c.stats->steps.size(), 4u);
    EXPECT_NEAR(c.stats->steps[0].base.mean, 1.0, 0.01);  // the 1000 MB/s warm-up seconds left out
    EXPECT_EQ(c.base_reps, (std::vector<int>{1, 2, 3}));
}

TEST_F(CompareRuns, InterleavedRollbackRepsNeverCountAsThePatch) {
    // An --interleave run stores b's reps beside the patch's; only the
    // patch's reps are the patch (found by the nightly: c-v2 judged on a mix).
    const auto b = run("b", "ramp", true);
    reps(b, 1.0);
    const auto p = run("c-v2");
    for (int i = 1; i <= 6; ++i) {
        const bool mine = i % 2 == 0;
        rep(p, i, mine ? 1.7 : 1.0, "finished", k_steps, mine ? "c-v2" : "b");
    }
    store.finish_run(p, "PASS", "", 0);
    const auto c = compare_runs(store, b, p, stats::DecisionRule{});
    EXPECT_EQ(c.patch_reps, (std::vector<int>{2, 4, 6})) << render_text(c);
    ASSERT_TRUE(c.stats);
    EXPECT_NEAR(c.stats->steps[0].patch.mean, 1.7, 0.02) << render_text(c);
    EXPECT_EQ(c.verdict, "IMPROVED") << render_text(c);
}

TEST_F(CompareRuns, FasterPatchIsImprovedAndThePredictionConfirmed) {
    const auto b = run("b", "ramp", true);
    reps(b, 1.0);
    const auto p = run("c-v2");
    reps(p, 1.7);
    predict("c-v2", "throughput", "+50%..+90%");
    predict("c-v2", "splats", "0");
    predict("c-v2", "latency", "0%±1%");
    auto rule = no_delta();
    rule.expect = stats::Expect::Improve;
    const auto c = compare_runs(store, b, p, rule);
    EXPECT_EQ(c.verdict, "IMPROVED") << render_text(c);
    ASSERT_EQ(c.predictions.size(), 3u);
    EXPECT_EQ(c.predictions[0].judgement, stats::Judgement::Confirmed);
    EXPECT_NEAR(c.predictions[0].estimate, 70.0, 1.0);
    EXPECT_EQ(c.predictions[1].judgement, stats::Judgement::Confirmed);
    EXPECT_FALSE(c.predictions[2].measured);
    EXPECT_EQ(c.predictions[2].judgement, stats::Judgement::Inconclusive);
    const auto text = render_text(c);
    EXPECT_NE(text.find("CONFIRMED"), std::string::npos);
    EXPECT_NE(text.find("pooled"), std::string::npos);
}

TEST_F(CompareRuns, WrongPredictionIsRefuted) {
    const auto b = run("b", "ramp", true);
    reps(b, 1.0);
    const auto p = run("c-prep");
    reps(p, 0.8);
    predict("c-prep", "throughput", "0%±3%");
    const auto c = compare_runs(store, b, p, no_delta());
    EXPECT_EQ(c.verdict, "REGRESSED");
    EXPECT_EQ(c.exit_code(), 1);
    EXPECT_EQ(c.predictions.at(0).judgement, stats::Judgement::Refuted);
}

TEST_F(CompareRuns, NewKernelSignatureFailsWhateverTheNumbers) {
    const auto b = run("b", "ramp", true);
    reps(b, 1.0);
    kernel_event(b, "known-fp", 1);
    const auto p = run("c");
    reps(p, 1.0);
    kernel_event(p, "known-fp", 2);
    kernel_event(p, "storm-fp", 212);
    const auto c = compare_runs(store, b, p, no_delta());
    EXPECT_EQ(c.verdict, "FAIL");
    EXPECT_EQ(c.exit_code(), 1);
    ASSERT_EQ(c.new_fingerprints.size(), 1u);
    EXPECT_EQ(c.new_fingerprints[0].fingerprint, "storm-fp");
    EXPECT_NE(c.reasons.at(0).find("×212 first at +13 s"), std::string::npos) << c.reasons[0];
    EXPECT_NE(c.notes.at(0).find("throughput alone: EQUIVALENT"), std::string::npos);
    EXPECT_EQ(to_json(c)["new_kernel_signatures"].size(), 1u);
}

TEST_F(CompareRuns, KnownSignatureDoesNotFail) {
    const auto b = run("b", "ramp", true);
    reps(b, 1.0);
    kernel_event(b, "known-fp", 1);
    const auto p = run("c-prep");
    reps(p, 1.0);
    kernel_event(p, "known-fp", 1);
    EXPECT_EQ(compare_runs(store, b, p, no_delta()).verdict, "EQUIVALENT");
}

TEST_F(CompareRuns, DifferentProfileOrInstrumentationIsInconclusive) {
    const auto b = run("b", "ramp", true, R"({"ftrace": {"enabled": true}, "profiles": {"ramp": {"fresh_chip": "reload"}}})");
    reps(b, 1.0);
    const auto p = run("c-prep", "ramp", false,
                       R"({"ftrace": {"enabled": false}, "profiles": {"ramp": {"fresh_chip": "none"}}})");
    reps(p, 1.0);
    const auto c = compare_runs(store, b, p, no_delta());
    EXPECT_EQ(c.verdict, "INCONCLUSIVE");
    std::string all;
    for (const auto& r : c.reasons) all += r + "\n";
    EXPECT_NE(all.find("fresh-chip state differs"), std::string::npos) << all;
    EXPECT_NE(all.find("instrumentation (ftrace) differs"), std::string::npos) << all;

    const auto q = run("c-prep", "besser");
    reps(q, 1.0);
    const auto d = compare_runs(store, b, q, no_delta());
    EXPECT_EQ(d.verdict, "INCONCLUSIVE");
    EXPECT_NE(d.reasons.at(0).find("stress profile differs"), std::string::npos);
}

TEST_F(CompareRuns, DifferentStepsAreInconclusive) {
    const auto b = run("b", "ramp", true);
    reps(b, 1.0);
    const auto p = run("c-prep");
    auto other = k_steps;
    other[3].rate = 4;
    for (int i = 1; i <= 3; ++i) rep(p, i, 1.0, "finished", other);
    store.finish_run(p, "PASS", "", 0);
    const auto c = compare_runs(store, b, p, no_delta());
    EXPECT_EQ(c.verdict, "INCONCLUSIVE");
    EXPECT_EQ(c.exit_code(), 2);
    EXPECT_EQ(c.exit_code(true), 125);
    EXPECT_NE(c.reasons.at(0).find("differs from baseline"), std::string::npos) << c.reasons[0];
}

TEST_F(CompareRuns, AbortedRepIsLeftOutWithANote) {
    const auto b = run("b", "ramp", true);
    reps(b, 1.0);
    const auto p = run("c-prep");
    rep(p, 1, 1.0);
    rep(p, 2, 1.0);
    rep(p, 3, 1.0, "aborted");
    store.finish_run(p, "PASS", "", 0);
    const auto c = compare_runs(store, b, p, no_delta());
    EXPECT_EQ(c.patch_reps, (std::vector<int>{1, 2}));
    bool noted = false;
    for (const auto& n : c.notes) noted |= n.find("patch rep 3 left out: status aborted") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST_F(CompareRuns, FindsTheLatestBaselineOfTheSameRigKernelAndProfile) {
    const auto old_base = run("b", "ramp", true);
    reps(old_base, 1.0);
    const auto other_profile = run("b", "besser", true);
    reps(other_profile, 1.0);
    const auto base = run("b", "ramp", true);
    reps(base, 1.0);
    const auto p = run("c-prep");
    reps(p, 1.0);
    EXPECT_EQ(latest_baseline_for(store, *store.run(p)), base);
    EXPECT_FALSE(latest_baseline_for(store, *store.run(old_base)));
}

TEST_F(CompareRuns, MissingRunIsAUsageError) {
    const auto b = run("b", "ramp", true);
    try {
        compare_runs(store, b, 999, no_delta());
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Usage);
        EXPECT_NE(std::string(e.what()).find("no run 999"), std::string::npos);
    }
}

TEST_F(CompareRuns, JsonCarriesStepsPooledAndVerdict) {
    const auto b = run("b", "ramp", true);
    reps(b, 1.0);
    const auto p = run("c-prep");
    reps(p, 1.0);
    const auto j = to_json(compare_runs(store, b, p, no_delta()));
    EXPECT_EQ(j["verdict"], "EQUIVALENT");
    EXPECT_EQ(j["steps"].size(), 4u);
    EXPECT_EQ(j["steps"][0]["name"], "rx-1M");
    EXPECT_TRUE(j["pooled"]["ratio_lo"].is_number());
    EXPECT_EQ(j["rule"]["margin_pct"], 3.0);
}

}  // namespace
}  // namespace besrig::compare
