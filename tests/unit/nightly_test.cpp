// The nightly trend over a fixture store: one point per night and patch, the
// "moved since last week" rule, new fingerprints, the exit code.
#include <gtest/gtest.h>

#include "reports/render/nightly.hpp"
#include "reports/store/store.hpp"
#include "tests/support/fixture_store.hpp"
#include "tests/unit/golden.hpp"
#include "tests/unit/test_support.hpp"

namespace besrig {
namespace {

const report::PatchTrend& trend(const report::NightlyReport& n, const std::string& patch) {
    for (const auto& p : n.patches)
        if (p.patch == patch) return p;
    throw std::runtime_error("no trend for " + patch);
}

TEST(Nightly, FlagsTheNightC_v2MovedDown) {
    test::TempDir dir;
    Store store(dir.path() / "besrig.db");
    const auto story = fixture::add_story(store);
    fixture::add_nightly(store, story.baseline, {});
    const auto n = report::load_nightly(store, {});
    ASSERT_EQ(n.nights.size(), 14u);
    // Runs start at 01:30 UTC: they belong to the evening before.
    EXPECT_EQ(n.nights.front(), "2026-11-10");
    EXPECT_EQ(n.nights.back(), "2026-11-23");
    ASSERT_EQ(n.patches.size(), 2u);  // the story runs of May are outside the window
    const auto& v2 = trend(n, "c-v2");
    EXPECT_EQ(v2.status, "moved down") << v2.detail;
    EXPECT_EQ(v2.points.back().move, "down");
    ASSERT_TRUE(v2.points.back().reference);
    EXPECT_NEAR(*v2.points.back().reference, 1.70, 0.03);
    for (std::size_t i = 0; i + 1 < v2.points.size(); ++i) EXPECT_EQ(v2.points[i].move, "") << v2.points[i].night;
    const auto& prep = trend(n, "c-prep");
    EXPECT_EQ(prep.status, "steady") << prep.detail;
    // The first nights of the window have no week of history before them.
    EXPECT_FALSE(prep.points.front().reference);
    ASSERT_EQ(n.new_fingerprints.size(), 1u);
    EXPECT_EQ(n.new_fingerprints[0].title, "WARNING in wsm_handle_rx");
    EXPECT_EQ(n.new_fingerprints[0].patch, "c-prep");
    EXPECT_EQ(n.exit_code, 1);
    EXPECT_EQ(n.baseline_run, story.baseline);
    test::expect_golden("nightly.md", report::render_nightly_markdown(n));
    const auto html = report::render_nightly_html(n);
    test::expect_golden("nightly.html", html);
    const auto chart = html.substr(html.find("data-chart=\"trend-c-v2\""));
    EXPECT_NE(chart.substr(0, chart.find("</svg>")).find("data-severity=\"change\""), std::string::npos);
    EXPECT_EQ(report::nightly_json(n)["schema"], "besrig.nightly/1");
}

TEST(Nightly, SteadyPatchesExitZero) {
    test::TempDir dir;
    Store store(dir.path() / "besrig.db");
    const auto story = fixture::add_story(store);
    fixture::NightlyOptions o;
    o.twists = false;
    fixture::add_nightly(store, story.baseline, o);
    const auto n = report::load_nightly(store, {});
    EXPECT_EQ(n.exit_code, 0);
    for (const auto& p : n.patches) EXPECT_EQ(p.status, "steady") << p.patch << ": " << p.detail;
    EXPECT_TRUE(n.new_fingerprints.empty());
    // A narrower window: the last night only has no week of history inside it,
    // but the reference still comes from the nights before the window.
    report::NightlyOptions one;
    one.nights = 1;
    const auto last = report::load_nightly(store, one);
    for (const auto& p : last.patches) {
        ASSERT_EQ(p.points.size(), 1u);
        EXPECT_TRUE(p.points[0].reference) << p.patch;
    }
}

TEST(Nightly, AnEmptyStoreMeasuredNothing) {
    test::TempDir dir;
    Store store(dir.path() / "besrig.db");
    const auto n = report::load_nightly(store, {});
    EXPECT_EQ(n.exit_code, 0);
    EXPECT_TRUE(n.patches.empty());
    EXPECT_NE(report::render_nightly_markdown(n).find("nothing measured"), std::string::npos);
}

TEST(Nightly, APatchThatDidNotRunLastNightIsSaidSo) {
    test::TempDir dir;
    Store store(dir.path() / "besrig.db");
    const auto story = fixture::add_story(store);
    fixture::NightlyOptions o;
    o.twists = false;
    fixture::add_nightly(store, story.baseline, o);
    fixture::NightlyOptions late = o;
    late.patches = {"c-prep"};
    late.nights = 1;
    late.first_night_at += 14 * 86400.0;
    fixture::add_nightly(store, story.baseline, late);
    const auto n = report::load_nightly(store, {});
    EXPECT_EQ(trend(n, "c-v2").status, "no run last night");
    EXPECT_EQ(trend(n, "c-prep").status, "steady");
}

}  // namespace
}  // namespace besrig
