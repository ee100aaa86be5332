// compare_series on hand-made data, and the simulation's determinism.
#include <gtest/gtest.h>

#include <cmath>

#include "reports/stats/comparison.hpp"
#include "reports/stats/simulation.hpp"

namespace besrig::stats {
namespace {

RunSeries series(const std::vector<std::vector<double>>& values) {
    RunSeries r;
    for (std::size_t s = 0; s < values.front().size(); ++s)
        r.steps.push_back({"step" + std::to_string(s + 1), s % 2 ? "tx" : "rx"});
    for (std::size_t i = 0; i < values.size(); ++i) r.rep_ids.push_back(static_cast<int>(i + 1));
    r.values = values;
    return r;
}

TEST(Comparison, PooledEstimateIsTheMeanOfStepLogRatios) {
    const auto base = series({{10, 20}, {10.2, 19.8}, {9.9, 20.1}});
    const auto patch = series({{11, 20}, {11.1, 20.2}, {10.9, 19.9}});
    const auto c = compare_series(base, patch, {});
    ASSERT_TRUE(c.pooled);
    ASSERT_EQ(c.steps.size(), 2u);
    const double mean_step = 0.5 * (c.steps[0].log_ratio->estimate + c.steps[1].log_ratio->estimate);
    EXPECT_NEAR(c.pooled->ci.estimate, mean_step, 1e-12);
    EXPECT_NEAR(c.ratio, std::exp(mean_step), 1e-12);
    EXPECT_LT(c.ratio_lo, c.ratio);
    EXPECT_GT(c.ratio_hi, c.ratio);
    EXPECT_NEAR(c.steps[0].base.mean, (10 + 10.2 + 9.9) / 3, 1e-12);
}

TEST(Comparison, IdenticalRunsAreEquivalent) {
    const auto base = series({{10, 20, 30}, {10.1, 20.2, 29.9}, {9.95, 19.9, 30.1}});
    const auto c = compare_series(base, base, {});
    EXPECT_EQ(c.decision, Decision::Equivalent);
    EXPECT_NEAR(c.ratio, 1.0, 1e-12);
}

TEST(Comparison, OneStepCollapsingIsRegressedEvenIfThePoolIsNot) {
    // Eight steps; whole reps drift by ±5 % (so the pooled interval is wide),
    // except step 6, which is 40 % slower in the patch with tight reps.
    std::vector<std::vector<double>> b, p;
    for (int r = 0; r < 3; ++r) {
        std::vector<double> rb, rp;
        for (int s = 0; s < 8; ++s) {
            const bool tight = s == 5;
            rb.push_back(10.0 * (tight ? 1.0 + 0.002 * r : 1.0 + 0.05 * (r - 1)));
            rp.push_back(tight ? 6.0 * (1.0 + 0.001 * r) : 10.0 * (1.0 - 0.05 * (r - 1)));
        }
        b.push_back(rb);
        p.push_back(rp);
    }
    const auto c = compare_series(series(b), series(p), {});
    ASSERT_TRUE(c.pooled);
    EXPECT_EQ(c.pooled->decision, Decision::Inconclusive);
    EXPECT_EQ(c.decision, Decision::Regressed);
    ASSERT_FALSE(c.reasons.empty());
    EXPECT_NE(c.reasons[0].find("step6"), std::string::npos) << c.reasons[0];
    EXPECT_TRUE(c.steps[5].regressed);
    EXPECT_FALSE(c.steps[0].regressed);
}

TEST(Comparison, CommonLargeEffectIsNotCalledHeterogeneous) {
    const auto base = series({{10, 20}, {10.02, 20.04}, {9.98, 19.96}});
    const auto patch = series({{17, 34}, {17.03, 34.05}, {16.98, 33.97}});
    const auto c = compare_series(base, patch, {});
    EXPECT_EQ(c.decision, Decision::Improved);
    EXPECT_TRUE(c.steps[0].outside_margin);
    for (const auto& n : c.notes) EXPECT_EQ(n.find("not common"), std::string::npos) << n;
}

TEST(Comparison, OneStepOutsideTheMarginBlocksEquivalence) {
    // Seven steps unchanged (tight), one 8 % faster: pooled +1 % is inside ±3 %,
    // but the effect is not common, so not EQUIVALENT.
    std::vector<std::vector<double>> b, p;
    for (int r = 0; r < 3; ++r) {
        std::vector<double> rb, rp;
        for (int s = 0; s < 8; ++s) {
            const double j = 1.0 + 0.001 * ((r + s) % 3 - 1);
            rb.push_back(10.0 * j);
            rp.push_back((s == 2 ? 10.8 : 10.0) * j);
        }
        b.push_back(rb);
        p.push_back(rp);
    }
    const auto c = compare_series(series(b), series(p), {});
    ASSERT_TRUE(c.pooled);
    EXPECT_EQ(c.pooled->decision, Decision::Equivalent);
    EXPECT_EQ(c.decision, Decision::Inconclusive);
    EXPECT_NE(c.reasons.at(0).find("step3"), std::string::npos) << c.reasons[0];
    EXPECT_NE(c.reasons.at(0).find("not common"), std::string::npos);
}

TEST(Comparison, DifferentStepsAreNotComparable) {
    auto base = series({{10, 20}, {10, 20}, {10, 20}});
    auto patch = base;
    patch.steps[1].direction = "rx";
    const auto c = compare_series(base, patch, {});
    EXPECT_EQ(c.decision, Decision::Inconclusive);
    EXPECT_FALSE(c.pooled);
    EXPECT_NE(c.reasons[0].find("same steps"), std::string::npos);
}

TEST(Comparison, TooFewRepsOrDeadStepsAreInconclusive) {
    const auto one = compare_series(series({{10, 20}}), series({{10, 20}, {10, 20}}), {});
    EXPECT_EQ(one.decision, Decision::Inconclusive);
    EXPECT_NE(one.reasons[0].find("at least 2 reps"), std::string::npos);
    const auto dead = compare_series(series({{10, 20}, {10, 20}}), series({{10, 0}, {10, 20}}), {});
    EXPECT_EQ(dead.decision, Decision::Inconclusive);
    EXPECT_NE(dead.reasons[0].find("not a positive number"), std::string::npos);
}

TEST(Comparison, OutlierRepIsFlaggedNotDropped) {
    const auto base = series({{10, 20}, {10.05, 20.1}, {9.95, 19.9}});
    const auto patch = series({{10, 20}, {10.02, 20.05}, {7.0, 14.0}});
    const auto c = compare_series(base, patch, {});
    ASSERT_EQ(c.outliers_patch.size(), 1u);
    EXPECT_EQ(c.outliers_patch[0], 3);
    EXPECT_EQ(c.patch_rep_geomean.n, 3u);  // still in the analysis
    bool noted = false;
    for (const auto& n : c.notes) noted |= n.find("patch rep(s) 3") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST(Simulation, SameSeedSameFigures) {
    SimulationSetup s;
    s.trials = 200;
    s.steps = 4;
    s.seed = 42;
    const auto a = simulate(s, {0.0, -0.1});
    const auto b = simulate(s, {0.0, -0.1});
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(a[0].equivalent, b[0].equivalent);
    EXPECT_EQ(a[1].regressed, b[1].regressed);
    EXPECT_EQ(a[0].equivalent + a[0].improved + a[0].regressed + a[0].inconclusive, 200);
}

TEST(Simulation, RampAtTwoPercentMeetsTheGoals) {
    // 16 steps, N = 3, CV 2 %: the pooled effect decides (full table in docs/statistics.md).
    SimulationSetup s;
    s.trials = 400;
    const auto g = simulate_goals(s);
    EXPECT_LE(g.false_change_at_0, 0.05);
    EXPECT_LE(g.false_equivalent_at_5, 0.05);
    EXPECT_GE(g.power_at_10, 0.90);
    EXPECT_GE(g.equivalent_at_0, 0.90);
}

}  // namespace
}  // namespace besrig::stats
