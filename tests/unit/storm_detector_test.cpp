#include <gtest/gtest.h>

#include "rig/kmsg/storm_detector.hpp"
#include "util/error.hpp"

namespace besrig::kmsg {
namespace {

TEST(StormDetector, RaisesOneStormWithItsOffsetFromStressStart) {
    StormDetector d(5, 2.0);
    d.set_stress_start(100.0);
    // Sparse splats before: never K within W.
    for (double t : {101.0, 104.0, 107.0}) EXPECT_FALSE(d.add(t));
    // The storm: 13 s into stress, 20 splats in 1 s.
    std::vector<StormEvent> events;
    for (int i = 0; i < 20; ++i)
        if (auto e = d.add(113.0 + i * 0.05, "WARNING in wsm_release_tx_buffer")) events.push_back(*e);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_DOUBLE_EQ(events[0].start_s, 113.0);
    EXPECT_NEAR(events[0].detected_s, 113.2, 1e-9);
    EXPECT_EQ(events[0].count, 5u);
    EXPECT_NEAR(*events[0].offset_s, 13.0, 1e-9);
    EXPECT_EQ(events[0].title, "WARNING in wsm_release_tx_buffer");
    EXPECT_TRUE(d.in_storm());
    EXPECT_EQ(d.storm_splats(), 20u);
}

TEST(StormDetector, ExactlyKWithinTheWindowCounts) {
    StormDetector d(3, 1.0);
    EXPECT_FALSE(d.add(0.0));
    EXPECT_FALSE(d.add(0.5));
    EXPECT_TRUE(d.add(1.0));  // 0.0 .. 1.0 is within a 1 s window
    StormDetector e(3, 1.0);
    EXPECT_FALSE(e.add(0.0));
    EXPECT_FALSE(e.add(0.5));
    EXPECT_FALSE(e.add(1.01));  // the first one fell out of the window
}

TEST(StormDetector, QuietPeriodEndsAStormAndASecondBurstIsANewOne) {
    StormDetector d(3, 1.0);
    int storms = 0;
    for (double t : {0.0, 0.1, 0.2, 0.3, 0.9, 1.5}) storms += d.add(t) ? 1 : 0;
    EXPECT_EQ(storms, 1);
    EXPECT_TRUE(d.in_storm());
    for (double t : {10.0, 10.1, 10.2}) storms += d.add(t) ? 1 : 0;
    EXPECT_EQ(storms, 2);
    EXPECT_EQ(d.storms(), 2u);
}

TEST(StormDetector, ClockGoingBackwardsRestartsTheWindow) {
    StormDetector d(3, 1.0);
    EXPECT_FALSE(d.add(50.0));
    EXPECT_FALSE(d.add(50.5));
    EXPECT_FALSE(d.add(0.1));  // reboot: the two before do not count
    EXPECT_FALSE(d.add(0.2));
    EXPECT_TRUE(d.add(0.3));
}

TEST(StormDetector, NoStressStartMeansNoOffset) {
    StormDetector d(1, 1.0);
    auto e = d.add(5.0);
    ASSERT_TRUE(e);
    EXPECT_FALSE(e->offset_s);
}

TEST(StormDetector, RefusesNonsenseConfig) {
    EXPECT_THROW(StormDetector(0, 1.0), Error);
    EXPECT_THROW(StormDetector(3, 0.0), Error);
}

}  // namespace
}  // namespace besrig::kmsg
