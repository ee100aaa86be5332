// Parsing pre-registered predictions and judging observed intervals (BRIEF §5).
#include <gtest/gtest.h>

#include "reports/stats/prediction.hpp"

namespace besrig::stats {
namespace {

Prediction parse_ok(const std::string& s) {
    std::string err;
    auto p = parse_prediction(s, err);
    EXPECT_TRUE(p) << s << ": " << err;
    return p.value_or(Prediction{});
}

std::string parse_error(const std::string& s) {
    std::string err;
    EXPECT_FALSE(parse_prediction(s, err)) << s;
    return err;
}

TEST(Prediction, CentreAndHalfWidth) {
    const auto p = parse_ok("throughput=0%±3%");
    EXPECT_EQ(p.metric, "throughput");
    EXPECT_TRUE(p.relative);
    EXPECT_DOUBLE_EQ(p.lo, -3);
    EXPECT_DOUBLE_EQ(p.hi, 3);
    const auto q = parse_ok("throughput = +2% +- 1.5%");
    EXPECT_DOUBLE_EQ(q.lo, 0.5);
    EXPECT_DOUBLE_EQ(q.hi, 3.5);
}

TEST(Prediction, Ranges) {
    const auto p = parse_ok("throughput=+5%..+15%");
    EXPECT_DOUBLE_EQ(p.lo, 5);
    EXPECT_DOUBLE_EQ(p.hi, 15);
    const auto r = parse_ok("sdio_rx_work_rate=-100%..-90%");
    EXPECT_EQ(r.metric, "sdio_rx_work_rate");
    EXPECT_DOUBLE_EQ(r.lo, -100);
    EXPECT_DOUBLE_EQ(r.hi, -90);
    EXPECT_EQ(describe_range(r), "-100 %..-90 %");
}

TEST(Prediction, AbsoluteCounts) {
    const auto p = parse_ok("splats=0");
    EXPECT_FALSE(p.relative);
    EXPECT_DOUBLE_EQ(p.lo, 0);
    EXPECT_DOUBLE_EQ(p.hi, 0);
    EXPECT_EQ(describe_range(p), "0");
    EXPECT_EQ(describe_range(parse_ok("splats=0..2")), "0..2");
}

TEST(Prediction, BadSpecsNameTheProblem) {
    EXPECT_NE(parse_error("throughput").find("no '='"), std::string::npos);
    EXPECT_NE(parse_error("throughput=fast").find("not a number"), std::string::npos);
    EXPECT_NE(parse_error("throughput=+15%..+5%").find("backwards"), std::string::npos);
    EXPECT_NE(parse_error("throughput=5%..7").find("mixes percent"), std::string::npos);
    EXPECT_NE(parse_error("throughput=0%±-3%").find("must not be negative"), std::string::npos);
    EXPECT_NE(parse_error("through put=0%").find("metric name"), std::string::npos);
    EXPECT_NE(parse_error("=0%").find("metric name"), std::string::npos);
    EXPECT_NE(parse_error("throughput=-150%..0%").find("below -100"), std::string::npos);
}

TEST(Prediction, Judgements) {
    const auto p = parse_ok("throughput=+50%..+90%");
    EXPECT_EQ(judge(p, 60, 75), Judgement::Confirmed);
    EXPECT_EQ(judge(p, 50, 90), Judgement::Confirmed);  // bounds included
    EXPECT_EQ(judge(p, 10, 20), Judgement::Refuted);
    EXPECT_EQ(judge(p, 95, 120), Judgement::Refuted);
    EXPECT_EQ(judge(p, 40, 60), Judgement::Inconclusive);
    EXPECT_EQ(judge(p, 75, 60), Judgement::Confirmed);  // bounds in either order
    const auto s = parse_ok("splats=0");
    EXPECT_EQ(judge(s, 0, 0), Judgement::Confirmed);
    EXPECT_EQ(judge(s, 212, 212), Judgement::Refuted);
    EXPECT_STREQ(to_string(Judgement::Inconclusive), "INCONCLUSIVE");
}

}  // namespace
}  // namespace besrig::stats
