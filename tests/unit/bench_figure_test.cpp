// bench::Figure: a goal holds or not, a figure not measured never "holds",
// and the table and JSON say so.
#include <gtest/gtest.h>

#include "bench/figure.hpp"

namespace besrig::bench {
namespace {

Figure fig(std::optional<double> v, const std::string& op, double goal) {
    Figure f;
    f.name = "x";
    f.label = "(x) something";
    f.unit = "s";
    f.value = v;
    f.goal_op = op;
    f.goal = goal;
    return f;
}

TEST(BenchFigure, GoalOperators) {
    EXPECT_EQ(fig(1.0, "<=", 1.0).holds(), true);
    EXPECT_EQ(fig(1.01, "<=", 1.0).holds(), false);
    EXPECT_EQ(fig(1.0, "<", 1.0).holds(), false);
    EXPECT_EQ(fig(0.9, ">=", 0.9).holds(), true);
    EXPECT_EQ(fig(0.89, ">=", 0.9).holds(), false);
}

TEST(BenchFigure, RangeGoal) {
    auto f = fig(1.7, "in", 1.5);
    f.goal_hi = 1.9;
    EXPECT_EQ(f.holds(), true);
    f.value = 1.91;
    EXPECT_EQ(f.holds(), false);
    f.value = 1.49;
    EXPECT_EQ(f.holds(), false);
    EXPECT_EQ(f.to_json()["goal"]["high"], 1.9);
    EXPECT_NE(render_table({f}).find("1.50 .. 1.90 s"), std::string::npos) << render_table({f});
}

TEST(BenchFigure, NotMeasuredOrNoGoalHasNoVerdict) {
    EXPECT_FALSE(fig(std::nullopt, "<=", 1.0).holds().has_value());
    EXPECT_FALSE(fig(3.0, "", 0).holds().has_value());
    const auto j = fig(std::nullopt, "<=", 1.0).to_json();
    EXPECT_TRUE(j["value"].is_null());
    EXPECT_TRUE(j["holds"].is_null());
    EXPECT_EQ(j["goal"]["op"], "<=");
}

TEST(BenchFigure, TableShowsValueGoalAndVerdict) {
    auto bad = fig(7.5, "<=", 5.0);
    bad.note = "from the cut to the decision";
    auto missing = fig(std::nullopt, ">=", 0.9);
    missing.label = "(y) other";
    const auto t = render_table({bad, missing});
    EXPECT_NE(t.find("7.50 s"), std::string::npos) << t;
    EXPECT_NE(t.find("<= 5.00 s"), std::string::npos) << t;
    EXPECT_NE(t.find("NO"), std::string::npos) << t;
    EXPECT_NE(t.find("not measured"), std::string::npos) << t;
    EXPECT_NE(t.find("from the cut to the decision"), std::string::npos) << t;
}

}  // namespace
}  // namespace besrig::bench
