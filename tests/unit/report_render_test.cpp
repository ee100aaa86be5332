// Renders every report format from the fixture store (tests/support) and
// compares with reviewed golden files; checks the properties a reader relies
// on: "not measured" instead of zeros, narrow Markdown tables, the storm line,
// countable chart series, documented JSON keys, JUnit failures per failed rep.
#include <gtest/gtest.h>
#include <set>

#include "reports/render/html.hpp"
#include "reports/render/json_report.hpp"
#include "reports/render/junit.hpp"
#include "reports/render/markdown.hpp"
#include "reports/render/model.hpp"
#include "reports/render/show.hpp"
#include "reports/store/store.hpp"
#include "util/error.hpp"
#include "tests/support/fixture_store.hpp"
#include "tests/unit/golden.hpp"
#include "tests/unit/test_support.hpp"

namespace besrig {
namespace {

class ReportRender : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        store_ = new Store(dir_->path() / "besrig.db");
        ids_ = fixture::add_story(*store_);
    }
    static void TearDownTestSuite() {
        delete store_;
        delete dir_;
    }
    static ReportModel model(std::int64_t id) { return load_report_model(*store_, id); }

    static inline test::TempDir* dir_ = nullptr;
    static inline Store* store_ = nullptr;
    static inline fixture::StoryRuns ids_;
};

std::size_t count(const std::string& hay, const std::string& needle) {
    std::size_t n = 0;
    for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
    return n;
}

// Counts data-series inside the <svg> whose data-chart is `chart`.
std::size_t series_in_chart(const std::string& html, const std::string& chart) {
    const auto start = html.find("data-chart=\"" + chart + "\"");
    if (start == std::string::npos) return 0;
    const auto end = html.find("</svg>", start);
    return count(html.substr(start, end - start), "data-series=");
}

TEST_F(ReportRender, MarkdownGoldenFiles) {
    test::expect_golden("baseline.md", report::render_markdown(model(ids_.baseline)));
    test::expect_golden("c-prep.md", report::render_markdown(model(ids_.c_prep)));
    test::expect_golden("c-wedged.md", report::render_markdown(model(ids_.c)));
    test::expect_golden("c-v2.md", report::render_markdown(model(ids_.c_v2)));
}

TEST_F(ReportRender, MarkdownSaysWhatTheDeveloperWrote) {
    const auto md = report::render_markdown(model(ids_.c));
    EXPECT_EQ(md.rfind("## Phase 7 — patch c: **WEDGED**", 0), 0u) << md.substr(0, 200);
    EXPECT_NE(md.find("WARN storm at +13 s: 212 × WARNING in wsm_release_tx_buffer [bes2600]"), std::string::npos);
    EXPECT_NE(md.find("- [ ] no WARN/BUG/oops under stress"), std::string::npos);
    EXPECT_NE(md.find("- [x] same boot"), std::string::npos);
    EXPECT_NE(md.find("`bes2600.patchC-broken.ko` 891.0 KiB"), std::string::npos);
    EXPECT_NE(md.find("**failed**: no persistent journal"), std::string::npos);
    EXPECT_NE(md.find("besrig run phase7 --patch c\n"), std::string::npos);
    // Reps 2 and 3 never ran; their steps are not zeros.
    EXPECT_NE(md.find("not run"), std::string::npos);
    EXPECT_NE(md.find("| throughput, pooled over steps | +5..+15 % | not measured | **INCONCLUSIVE** |"),
              std::string::npos);
}

TEST_F(ReportRender, MarkdownTablesFitACommentPane) {
    for (auto id : {ids_.baseline, ids_.c_prep, ids_.c, ids_.c_v2}) {
        std::istringstream lines(report::render_markdown(model(id)));
        for (std::string line; std::getline(lines, line);)
            if (line.rfind("|", 0) == 0) {
                EXPECT_LE(line.size(), 100u) << "run " << id << ": " << line;
            }
    }
}

TEST_F(ReportRender, ARunWithNothingMeasuredSaysSo) {
    NewRun nr;
    nr.kind = "phase7";
    nr.patch = "c-v3";
    nr.rig = "ohm";
    const auto id = store_->begin_run(nr);
    const auto m = model(id);
    const auto md = report::render_markdown(m);
    EXPECT_NE(md.find("No repetition was stored (not measured)"), std::string::npos) << md;
    EXPECT_NE(md.find("build sha256 `not measured`"), std::string::npos) << md;
    EXPECT_NE(md.find("**duration** not measured"), std::string::npos) << md;
    const auto j = report::report_json(m);
    EXPECT_TRUE(j["run"]["exit_code"].is_null());
    EXPECT_TRUE(j["run"]["duration_s"].is_null());
    EXPECT_TRUE(j["build"].is_null());
    EXPECT_NE(report::render_html(m).find("throughput not measured"), std::string::npos);
    EXPECT_NE(report::render_junit(m).find("<testcase"), std::string::npos);
}

TEST_F(ReportRender, BadDetailsJsonIsNamed) {
    NewRun nr;
    nr.kind = "phase7";
    nr.rig = "ohm";
    const auto id = store_->begin_run(nr);
    store_->set_run_details(id, "{\"comparison\": ");
    try {
        model(id);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("run " + std::to_string(id) + ": details_json"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(model(999999), Error);
}

TEST_F(ReportRender, HtmlGoldenAndCharts) {
    const auto html = report::render_html(model(ids_.c_prep));
    test::expect_golden("c-prep.html", html);
    test::expect_golden("c-wedged.html", report::render_html(model(ids_.c)));
    EXPECT_EQ(series_in_chart(html, "throughput"), 3u);
    EXPECT_EQ(series_in_chart(html, "steps"), 2u);  // baseline and patch
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("src="), std::string::npos);
    EXPECT_EQ(html.find("href="), std::string::npos);
    EXPECT_EQ(count(html, "<svg xmlns"), count(html, "<title id="));
    const auto wedged = report::render_html(model(ids_.c));
    EXPECT_EQ(series_in_chart(wedged, "throughput"), 1u);
    EXPECT_GE(count(wedged, "class=\"marker\""), 2u);  // storm and wedge
    EXPECT_EQ(series_in_chart(wedged, "timeline"), 1u);
}

TEST_F(ReportRender, JsonHasTheDocumentedKeys) {
    const auto j = report::report_json(model(ids_.c_prep));
    test::expect_golden("c-prep.json", j.dump(2) + "\n");
    EXPECT_EQ(j["schema"], "besrig.report/1");
    // docs/report-json.md lists exactly these top-level keys.
    std::set<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"schema", "run", "build", "reps", "summary", "baseline", "comparison",
                                           "predictions", "receipts", "kernel_events", "timeline", "artifacts",
                                           "details"}));
    std::set<std::string> run_keys;
    for (const auto& [k, v] : j["run"].items()) run_keys.insert(k);
    EXPECT_EQ(run_keys, (std::set<std::string>{"id", "kind", "patch", "rig", "kernel_release", "profile", "status",
                                               "verdict", "reason", "exit_code", "is_baseline", "baseline_run",
                                               "started_at", "finished_at", "duration_s", "build_sha256", "command"}));
    EXPECT_EQ(j["reps"].size(), 3u);
    EXPECT_EQ(j["reps"][0]["steps"].size(), 4u);
    EXPECT_EQ(j["comparison"]["decision"], "EQUIVALENT");
}

TEST_F(ReportRender, JunitFailsTheWedgedRep) {
    const auto xml = report::render_junit(model(ids_.c));
    test::expect_golden("c-wedged.junit.xml", xml);
    EXPECT_NE(xml.find("<testcase classname=\"besrig.phase7.c\" name=\"rep 1\""), std::string::npos);
    EXPECT_NE(xml.find("WARN storm at +13 s"), std::string::npos);
    EXPECT_NE(xml.find("failures=\"4\""), std::string::npos) << xml.substr(0, 400);
    const auto ok = report::render_junit(model(ids_.c_prep));
    EXPECT_NE(ok.find("failures=\"0\" errors=\"0\""), std::string::npos) << ok.substr(0, 400);
    EXPECT_EQ(count(ok, "<testcase "), 1u + 3u + 12u + 3u);  // verdict, reps, rep×step, predictions
}

TEST_F(ReportRender, ShowIsCompact) {
    const auto s = report::render_show(model(ids_.c));
    test::expect_golden("c-wedged.show.txt", s + "\n");
    EXPECT_LE(std::count(s.begin(), s.end(), '\n'), 20);
    EXPECT_NE(s.find("WEDGED (exit 1)"), std::string::npos);
}

}  // namespace
}  // namespace besrig
