#include <gtest/gtest.h>

#include "phases/verdict.hpp"

namespace besrig {
namespace {

TEST(Verdict, InfrastructureIsNeverBlamedOnThePatch) {
    RunFacts f;
    f.infra_error = true;
    f.infra_reason = "iperf3 server died";
    f.fail_events = 3;  // even with splats seen, the rig failing wins
    const auto v = decide_verdict(f, false);
    EXPECT_EQ(v.name, "INFRA_ERROR");
    EXPECT_EQ(v.exit_code, 2);
    EXPECT_EQ(decide_verdict(f, true).exit_code, 125);
}

TEST(Verdict, PatchFailuresInOrderOfSeverity) {
    RunFacts f;
    f.fail_events = 212;
    f.storm = true;
    f.storm_count = 212;
    f.first_fail = "WARNING in wsm_release_tx_buffer";
    f.first_fail_offset_s = 13.2;
    auto v = decide_verdict(f, false);
    EXPECT_EQ(v.name, "FAIL");
    EXPECT_EQ(v.reason, "WARN storm at +13 s: 212 × WARNING in wsm_release_tx_buffer");
    EXPECT_EQ(v.exit_code, 1);
    f.wedged = true;
    EXPECT_EQ(decide_verdict(f, false).name, "WEDGED");
    f.host_down = true;
    EXPECT_EQ(decide_verdict(f, true).name, "HOST_DOWN");
    EXPECT_EQ(decide_verdict(f, true).exit_code, 1);  // a patch failure stays 1 under --bisect
}

TEST(Verdict, NewSignatureFailsWhateverTheNumbers) {
    RunFacts f;
    f.comparison = "IMPROVED";
    f.new_fingerprints = {"abc"};
    EXPECT_EQ(decide_verdict(f, false).name, "FAIL");
}

TEST(Verdict, ComparisonDecides) {
    RunFacts f;
    f.comparison = "EQUIVALENT";
    EXPECT_EQ(decide_verdict(f, false).exit_code, 0);
    f.comparison = "IMPROVED";
    EXPECT_EQ(decide_verdict(f, false).exit_code, 0);
    f.comparison = "REGRESSED";
    EXPECT_EQ(decide_verdict(f, false).exit_code, 1);
    f.comparison = "INCONCLUSIVE";
    EXPECT_EQ(decide_verdict(f, false).exit_code, 2);
    EXPECT_EQ(decide_verdict(f, true).exit_code, 125);
    EXPECT_EQ(decide_verdict(RunFacts{}, false).name, "PASS");
}

TEST(Verdict, InterruptedCleanRunIsAbortedButAFailureStays) {
    RunFacts f;
    f.aborted = true;
    f.comparison = "EQUIVALENT";
    EXPECT_EQ(decide_verdict(f, false).name, "ABORTED");
    f.fail_events = 1;
    f.first_fail = "BUG: sleeping function called from invalid context";
    EXPECT_EQ(decide_verdict(f, false).name, "FAIL");
}

}  // namespace
}  // namespace besrig
