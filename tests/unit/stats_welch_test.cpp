// Welch's interval and descriptive statistics, against hand-computed values
// (the arithmetic is written out next to each) and published t quantiles.
#include <gtest/gtest.h>

#include <cmath>

#include "reports/stats/descriptive.hpp"
#include "reports/stats/outliers.hpp"
#include "reports/stats/welch.hpp"

namespace besrig::stats {
namespace {

TEST(Descriptive, SummaryOfASmallSample) {
    const auto s = summarize({4.0, 1.0, 3.0, 2.0});
    EXPECT_EQ(s.n, 4u);
    EXPECT_DOUBLE_EQ(s.mean, 2.5);
    EXPECT_DOUBLE_EQ(s.median, 2.5);
    EXPECT_DOUBLE_EQ(s.min, 1.0);
    EXPECT_DOUBLE_EQ(s.max, 4.0);
    EXPECT_NEAR(s.sd, std::sqrt(5.0 / 3.0), 1e-15);  // Σ(x-2.5)² = 5, n-1 = 3
    EXPECT_DOUBLE_EQ(median({5.0, 1.0, 3.0}), 3.0);
    EXPECT_DOUBLE_EQ(mad({1.0, 2.0, 10.0}), 1.0);
    EXPECT_EQ(summarize({}).n, 0u);
    EXPECT_DOUBLE_EQ(summarize({7.0}).sd, 0.0);
}

TEST(Welch, HandComputedExample) {
    // base {1,2,3}: mean 2, s² 1;  patch {2,4,6}: mean 4, s² 4.
    // se² = 1/3 + 4/3 = 5/3;  df = (5/3)² / ((1/3)²/2 + (4/3)²/2) = 50/17.
    const auto iv = welch_interval({1, 2, 3}, {2, 4, 6}, 0.90);
    ASSERT_TRUE(iv);
    EXPECT_DOUBLE_EQ(iv->estimate, 2.0);
    EXPECT_NEAR(iv->se, std::sqrt(5.0 / 3.0), 1e-14);
    EXPECT_NEAR(iv->df, 50.0 / 17.0, 1e-12);
    EXPECT_NEAR(iv->hi - iv->estimate, iv->estimate - iv->lo, 1e-12);
}

TEST(Welch, EqualVariancesEqualSizesGiveStudentDf) {
    // Same spread, same n: Welch df = 2(n-1) = 4, so the half-width is
    // t_{0.95,4} · √(2 s²/3) with t_{0.95,4} = 2.131847 (table).
    const auto iv = welch_interval({10, 11, 12}, {11, 12, 13}, 0.90);
    ASSERT_TRUE(iv);
    EXPECT_NEAR(iv->df, 4.0, 1e-12);
    EXPECT_NEAR(iv->hi - iv->estimate, 2.131847 * std::sqrt(2.0 / 3.0), 1e-6);
    const auto iv95 = welch_interval({10, 11, 12}, {11, 12, 13}, 0.95);
    EXPECT_NEAR(iv95->hi - iv95->estimate, 2.776445 * std::sqrt(2.0 / 3.0), 1e-6);  // t_{0.975,4}, table
}

TEST(Welch, NeedsTwoObservationsPerGroup) {
    EXPECT_FALSE(welch_interval({1}, {1, 2}, 0.9));
    EXPECT_FALSE(welch_interval({1, 2}, {}, 0.9));
}

TEST(Welch, IdenticalObservationsGiveAPointInterval) {
    const auto iv = welch_interval({4, 4, 4}, {4, 4, 4}, 0.9);
    ASSERT_TRUE(iv);
    EXPECT_EQ(iv->lo, 0.0);
    EXPECT_EQ(iv->hi, 0.0);
    EXPECT_EQ(iv->df, 4.0);
}

TEST(Welch, SatterthwaiteOfThreeComponents) {
    // (1+2+3)² / (1/2 + 4/2 + 9/4) = 36 / 4.75
    EXPECT_NEAR(satterthwaite_df({{1, 2}, {2, 2}, {3, 4}}), 36.0 / 4.75, 1e-12);
}

TEST(Outliers, FlagsARepFarFromTheOthers) {
    const auto flagged = flag_outliers({std::log(10.0), std::log(10.1), std::log(7.0)});
    ASSERT_EQ(flagged.size(), 1u);
    EXPECT_EQ(flagged[0], 2u);
}

TEST(Outliers, LeavesCloseRepsAlone) {
    // 0.1 % apart: below the 0.5 % MAD floor, nothing to flag.
    EXPECT_TRUE(flag_outliers({std::log(4.0), std::log(4.004), std::log(4.0)}).empty());
    // Ordinary spread.
    EXPECT_TRUE(flag_outliers({std::log(10.0), std::log(10.3), std::log(9.8)}).empty());
    EXPECT_TRUE(flag_outliers({1.0, 5.0}).empty());
}

}  // namespace
}  // namespace besrig::stats
