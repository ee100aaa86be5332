// The wedge watchdog's clock: when it asks for a probe, and when a silent
// data path becomes suspect (silence AND failed probes, never one alone).
#include <gtest/gtest.h>

#include "phases/phase7/watchdog.hpp"

namespace besrig::phase7 {
namespace {

TEST(WedgeWatchdog, TheStartGraceCountsNoSilence) {
    WedgeWatchdog w(3);
    w.start(100);  // grace 2 s
    EXPECT_EQ(w.silent_for(101.5), 0);
    EXPECT_FALSE(w.probe_due(102.5));
    EXPECT_TRUE(w.probe_due(103.0));
}

TEST(WedgeWatchdog, ProbesOncePerSecondOfSilence) {
    WedgeWatchdog w(3);
    w.start(0, 0);
    w.on_sample(10, 1.2);
    EXPECT_FALSE(w.probe_due(10.9));
    ASSERT_TRUE(w.probe_due(11.0));
    w.probe_started(11.0);
    EXPECT_FALSE(w.probe_due(11.5));
    EXPECT_TRUE(w.probe_due(12.0));
}

TEST(WedgeWatchdog, SilenceWithoutFailedProbesIsNotSuspect) {
    WedgeWatchdog w(3);
    w.start(0, 0);
    w.on_sample(10, 1.2);
    EXPECT_TRUE(w.silent_too_long(14));
    EXPECT_FALSE(w.suspect(14));
    w.probe_failed();
    EXPECT_FALSE(w.suspect(14));  // one lost ping condemns nothing
    w.probe_failed();
    EXPECT_TRUE(w.suspect(14));
}

TEST(WedgeWatchdog, FailedProbesBeforeTheWindowEndsWaitForIt) {
    WedgeWatchdog w(3);
    w.start(0, 0);
    w.on_sample(10, 1.2);
    w.probe_failed();
    w.probe_failed();
    EXPECT_FALSE(w.suspect(12.5));
    EXPECT_TRUE(w.suspect(13.0));
}

TEST(WedgeWatchdog, TrafficOrAProbeThatGetsThroughStartsAfresh) {
    WedgeWatchdog w(3);
    w.start(0, 0);
    w.on_sample(10, 1.2);
    w.probe_failed();
    w.probe_failed();
    w.on_sample(13, 0.8);
    EXPECT_EQ(w.failed_probes(), 0);
    EXPECT_FALSE(w.suspect(16.5));
    w.reprieve(20);
    EXPECT_EQ(w.silent_for(20.5), 0.5);
}

TEST(WedgeWatchdog, IntervalsBelowTheFloorAreSilence) {
    WedgeWatchdog w(3);
    w.start(0, 0);
    w.on_sample(10, 1.2);
    w.on_sample(11, 0.001);
    w.on_sample(12, 0.0);
    EXPECT_EQ(w.silent_for(13), 3);
}

}  // namespace
}  // namespace besrig::phase7
