// The decision rule (TOST, noise band, one-sided improve) and the
// reps-needed power calculation. Interval arithmetic uses published t
// quantiles: t_{0.95,4} = 2.131847 and t_{0.975,4} = 2.776445.
#include <gtest/gtest.h>

#include <cmath>

#include "reports/stats/decision.hpp"

namespace besrig::stats {
namespace {

DecisionRule rule(Expect e = Expect::NoDelta) {
    DecisionRule r;
    r.expect = e;
    return r;
}

TEST(Decision, NarrowIntervalAroundZeroIsEquivalent) {
    // 90 %: 0 ± 2.131847·0.005 = ±1.07 %, inside ln(0.97)..ln(1.03).
    const auto r = decide(0.0, 0.005, 4, 0.006, 3, rule());
    EXPECT_EQ(r.decision, Decision::Equivalent);
    EXPECT_NEAR(r.ci.hi, 2.131847 * 0.005, 1e-7);
    EXPECT_NEAR(r.ci_claim.hi, 2.776445 * 0.005, 1e-7);
    EXPECT_NE(r.reason.find("inside the ±3 % margin"), std::string::npos) << r.reason;
}

TEST(Decision, ClearDropIsRegressed) {
    const auto r = decide(std::log(0.95), 0.005, 4, 0.006, 3, rule());
    EXPECT_EQ(r.decision, Decision::Regressed);
    EXPECT_NE(r.reason.find("below -1 %"), std::string::npos) << r.reason;
}

TEST(Decision, WideIntervalIsInconclusiveWithRepsNeeded) {
    const auto r = decide(0.0, 0.02, 4, 0.0245, 3, rule());
    EXPECT_EQ(r.decision, Decision::Inconclusive);
    ASSERT_TRUE(r.reps_needed);
    EXPECT_GT(*r.reps_needed, 3);
    EXPECT_EQ(r.likely, Decision::Equivalent);
    EXPECT_NE(r.reason.find("reps per run"), std::string::npos) << r.reason;
}

TEST(Decision, ImproveIsOneSided) {
    // d = 0.022, se = 0.005, df 4: 90 % lower end 0.01134 > ln 1.01 = 0.00995,
    // but the 95 % lower end 0.00812 is not, and the 90 % upper end 0.0327 is
    // beyond ln 1.03: one-sided improve says IMPROVED, no-delta INCONCLUSIVE.
    EXPECT_EQ(decide(0.022, 0.005, 4, 0.006, 3, rule(Expect::Improve)).decision, Decision::Improved);
    EXPECT_EQ(decide(0.022, 0.005, 4, 0.006, 3, rule(Expect::NoDelta)).decision, Decision::Inconclusive);
    EXPECT_EQ(decide(0.022, 0.005, 4, 0.006, 3, rule(Expect::Any)).decision, Decision::Inconclusive);
}

TEST(Decision, SmallSignificantChangeInsideMarginDependsOnExpectation) {
    // 90 % [1.4 %, 2.6 %] inside ±3 %, 95 % lower end 1.2 % > 1 %.
    const double d = 0.02, se = 0.0028;
    EXPECT_EQ(decide(d, se, 4, 0.003, 3, rule(Expect::NoDelta)).decision, Decision::Equivalent);
    EXPECT_EQ(decide(d, se, 4, 0.003, 3, rule(Expect::Any)).decision, Decision::Improved);
}

TEST(Decision, ImproveExpectedButNothingMoved) {
    const auto r = decide(0.0, 0.004, 4, 0.005, 3, rule(Expect::Improve));
    EXPECT_EQ(r.decision, Decision::Equivalent);
    EXPECT_NE(r.reason.find("did not show"), std::string::npos);
}

TEST(Decision, ImproveExpectedButTheIntervalIsBelowZeroSaysSo) {
    // d = -0.03, se = 0.01, df 4: 90 % [-0.0513, -0.0087] lies below zero and
    // beyond the -3 % margin; 95 % upper end -0.0022 does not clear ln 0.99.
    const auto r = decide(-0.03, 0.01, 4, 0.012, 3, rule(Expect::Improve));
    EXPECT_EQ(r.decision, Decision::Inconclusive);
    EXPECT_NE(r.reason.find("lies below zero"), std::string::npos) << r.reason;
    EXPECT_NE(r.reason.find("does not clear the -1 % noise band"), std::string::npos) << r.reason;
    EXPECT_NE(r.reason.find("expected improvement did not show"), std::string::npos) << r.reason;
    EXPECT_EQ(r.reason.find("neither"), std::string::npos) << r.reason;
}

TEST(Decision, AnIntervalAcrossZeroSaysItSpansZero) {
    const auto r = decide(0.0, 0.02, 4, 0.0245, 3, rule());
    EXPECT_NE(r.reason.find("spans zero and is not inside the ±3 % margin"), std::string::npos) << r.reason;
}

TEST(Decision, RepsForEquivalenceByHand) {
    // d = 0, sd = 0.02, m = 3 %, α = 5 %, 80 % power:
    // need (ln 1.03)/(0.02·√(2/n)) - t_{0.95,2n-2} >= z_{0.9} = 1.2816 (approx.)
    // n = 8: 2.956 - 1.761 = 1.195 (no); n = 9: 3.135 - 1.746 = 1.389 (yes).
    EXPECT_EQ(reps_for_equivalence(0.0, 0.02, rule(), 0.8), 9);
    EXPECT_FALSE(reps_for_equivalence(0.05, 0.02, rule(), 0.8));  // outside the margin: never
}

TEST(Decision, RepsForChangeByHand) {
    // d = ln 0.9, sd = 0.05, band 1 %: se = 0.05√(2/n); need
    // (0.105361 - 0.009950)/se - t_{0.975,2n-2} >= z_{0.8} = 0.8416.
    // n = 5: 3.017 - 2.306 = 0.711 (no); n = 6: 3.305 - 2.228 = 1.077 (yes).
    EXPECT_EQ(reps_for_change(std::log(0.9), 0.05, rule(), 0.8), 6);
    EXPECT_FALSE(reps_for_change(0.005, 0.05, rule(), 0.8));  // inside the noise band
}

TEST(Decision, ParsesExpect) {
    EXPECT_EQ(parse_expect("no-delta"), Expect::NoDelta);
    EXPECT_EQ(parse_expect("improve"), Expect::Improve);
    EXPECT_EQ(parse_expect("any"), Expect::Any);
    EXPECT_FALSE(parse_expect("better"));
}

}  // namespace
}  // namespace besrig::stats
