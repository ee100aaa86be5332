// Phase 5 pre-registration on a real SQLite store: record, supersede, freeze,
// refuse-and-log, reviews, and the review packet's patch series.
#include <gtest/gtest.h>

#include "phases/phase5/predictions_store.hpp"
#include "phases/phase5/review_packet.hpp"
#include "tests/unit/test_support.hpp"
#include "util/error.hpp"

namespace besrig::phase5 {
namespace {

using test::TempDir;

stats::Prediction pred(const std::string& s) {
    std::string err;
    auto p = stats::parse_prediction(s, err);
    EXPECT_TRUE(p) << err;
    return p.value_or(stats::Prediction{});
}

class Phase5Store : public ::testing::Test {
protected:
    TempDir dir;
    Store store{dir.path() / "besrig.db"};
    std::int64_t run() {
        NewRun nr;
        nr.kind = "phase5";
        nr.patch = "c-prep";
        nr.rig = "ohm";
        return store.begin_run(nr);
    }
};

TEST_F(Phase5Store, RecordsAndSupersedesUntilFrozen) {
    const auto h1 = record_predictions(store, run(), "c-prep", {pred("throughput=0%±5%")}, std::nullopt);
    const auto baseline = run();
    const auto h2 = record_predictions(store, run(), "c-prep", {pred("throughput=0%±3%"), pred("splats=0")}, baseline);
    EXPECT_NE(h1, h2);
    const auto cur = current_predictions(store, "c-prep");
    ASSERT_EQ(cur.size(), 2u);
    EXPECT_EQ(cur[0].prediction.spec, "0%±3%");
    EXPECT_EQ(cur[0].baseline_run, baseline);
    EXPECT_EQ(cur[0].hash, h2);
    EXPECT_FALSE(cur[0].frozen_at);
    EXPECT_FALSE(predictions_frozen(store, "c-prep"));
}

TEST_F(Phase5Store, FrozenPredictionCannotChangeAndTheAttemptIsLogged) {
    record_predictions(store, run(), "c-prep", {pred("throughput=0%±3%")}, std::nullopt);
    EXPECT_EQ(freeze_predictions(store, "c-prep"), 1);
    EXPECT_EQ(freeze_predictions(store, "c-prep"), 0);  // already frozen
    EXPECT_TRUE(predictions_frozen(store, "c-prep"));
    const auto attempt = run();
    try {
        record_predictions(store, attempt, "c-prep", {pred("throughput=-10%..+10%")}, std::nullopt);
        FAIL() << "a frozen prediction was changed";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Usage);
        EXPECT_NE(std::string(e.what()).find("frozen"), std::string::npos);
    }
    const auto cur = current_predictions(store, "c-prep");
    ASSERT_EQ(cur.size(), 1u);
    EXPECT_EQ(cur[0].prediction.spec, "0%±3%");
    Stmt log(store.db(), "SELECT message FROM run_log WHERE run_id = ? AND level = 'error'");
    log.bind(1, attempt);
    ASSERT_TRUE(log.step());
    EXPECT_NE(log.get_text(0).find("refused"), std::string::npos);
    // Other patches are unaffected.
    EXPECT_NO_THROW(record_predictions(store, run(), "c-v2", {pred("throughput=+50%..+90%")}, std::nullopt));
}

TEST_F(Phase5Store, HashIsStableAndCoversTheRange) {
    const auto a = prediction_hash("c-prep", 3, {pred("throughput=0%±3%")});
    EXPECT_EQ(a, prediction_hash("c-prep", 3, {pred("throughput = -3%..+3%")}));  // same range
    EXPECT_NE(a, prediction_hash("c-prep", 3, {pred("throughput=0%±4%")}));
    EXPECT_NE(a, prediction_hash("c-prep", 4, {pred("throughput=0%±3%")}));
    EXPECT_EQ(a.size(), 64u);
}

TEST_F(Phase5Store, ReviewsAndEmptyPredictionSets) {
    record_review(store, "c-prep", "approve", "refactor only");
    EXPECT_THROW(record_review(store, "c-prep", "maybe", ""), Error);
    EXPECT_THROW(record_predictions(store, run(), "c-prep", {}, std::nullopt), Error);
    Stmt q(store.db(), "SELECT decision, note FROM reviews");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.get_text(0), "approve");
}

TEST(ReviewPacket, SeriesAndMarkdown) {
    TempDir dir;
    dir.write("0001-atomic.patch", "--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-int n;\n+atomic_t n;\n+// more\n");
    dir.write("notes.txt", "not a patch");
    const auto s = read_patch_series(dir.path());
    ASSERT_EQ(s.files.size(), 1u);
    EXPECT_EQ(s.files[0].added, 2);
    EXPECT_EQ(s.files[0].removed, 1);
    EXPECT_EQ(s.hash.size(), 64u);
    EXPECT_TRUE(read_patch_series(dir.path() / "missing").files.empty());

    PacketInput in;
    in.patch = "c-prep";
    in.predictions = {pred("throughput=0%±3%")};
    in.prediction_hash = "abc";
    in.series = s;
    in.profile_name = "besser";
    const auto md = render_review_packet(in);
    EXPECT_NE(md.find("# Review packet: patch c-prep"), std::string::npos);
    EXPECT_NE(md.find("| throughput | -3 %..+3 % |"), std::string::npos);
    EXPECT_NE(md.find("No baseline run yet: not measured"), std::string::npos);
    EXPECT_NE(md.find("0001-atomic.patch"), std::string::npos);
    EXPECT_NE(md.find("- [ ] only kernel-log signatures the baseline also shows"), std::string::npos);
}

}  // namespace
}  // namespace besrig::phase5
