// Truncated, interleaved, binary and non-UTF-8 logs: classified as far as
// possible, never a crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "kmsg_test_support.hpp"
#include "rig/kmsg/triage.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

namespace besrig::kmsg {
namespace {

using test::classify;

std::string corpus_log(const char* name) {
    std::ifstream in(besrig::test::corpora_dir() / "kernel-logs" / "syzkaller" / name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    const std::string all = s.str();
    const auto blank = all.find("\n\n");
    return blank == std::string::npos ? std::string() : all.substr(blank + 2);
}

TEST(BadInput, TruncatedReportsStillClassifyTheirHeader) {
    const std::string log = corpus_log("755.txt");
    if (log.empty()) GTEST_SKIP() << "no syzkaller corpus";
    // Cut everywhere: at every 37th byte, including mid-line and mid-escape.
    for (std::size_t cut = 0; cut < log.size(); cut += 37) {
        const auto c = classify(log.substr(0, cut));
        const auto header = log.find("WARNING: fs/ext4");
        if (cut > header + 60) {
            ASSERT_EQ(c.reports.size(), 1u) << "cut at " << cut;
            EXPECT_EQ(c.reports[0].klass, "WARNING");
        }
    }
    // Cut right after the header: no stack at all, title falls back and says so.
    const auto c = classify(log.substr(0, log.find("Modules linked in")));
    ASSERT_EQ(c.reports.size(), 1u);
    EXPECT_EQ(c.reports[0].title, "WARNING");
    EXPECT_TRUE(c.reports[0].corrupted);
}

TEST(BadInput, TwoCorpusLogsInterleavedByLine) {
    const std::string a = corpus_log("754.txt");
    const std::string b = corpus_log("1000.txt");
    if (a.empty() || b.empty()) GTEST_SKIP() << "no syzkaller corpus";
    // Alternate lines of two reports from different tasks ([ T6051] and [ T31]).
    std::istringstream sa(a), sb(b);
    std::string la, lb, mixed;
    bool more_a = true, more_b = true;
    while (more_a || more_b) {
        if ((more_a = static_cast<bool>(std::getline(sa, la)))) mixed += la + "\n";
        if ((more_b = static_cast<bool>(std::getline(sb, lb)))) mixed += lb + "\n";
    }
    const auto c = classify(mixed);
    std::vector<std::string> titles;
    for (const auto& r : c.reports) titles.push_back(r.title);
    EXPECT_NE(std::find(titles.begin(), titles.end(), "WARNING: refcount bug in __vma_enter_locked"), titles.end());
    EXPECT_NE(std::find(titles.begin(), titles.end(), "INFO: task hung in read_cache_folio"), titles.end());
}

TEST(BadInput, BinaryGarbageNeverCrashes) {
    std::mt19937 rng(12345);
    std::string garbage(1 << 20, '\0');
    for (auto& ch : garbage) ch = static_cast<char>(rng() & 0xff);
    // Sprinkle header prefixes and kmsg-looking fields into the noise.
    const char* seeds[] = {"\nWARNING: CPU: 0 PID: 1 at ", "\nBUG: KASAN: ", "\n4,99999999999999999999,1,-;",
                           "\n6,1,2,", "\n[ 1.0][ T", "\nCall Trace:\n ? ", "\nKernel panic - not syncing: ",
                           "\\x", "\nINFO: task ", " blocked for more than", "+0x", "/0x"};
    for (std::size_t i = 0; i < 4000; ++i) {
        const std::string s = seeds[rng() % std::size(seeds)];
        garbage.replace(rng() % (garbage.size() - s.size()), s.size(), s);
    }
    for (std::size_t chunk : {std::size_t{0}, std::size_t{7}, std::size_t{4096}}) {
        const auto c = classify(garbage, {}, chunk);
        for (const auto& r : c.reports) EXPECT_FALSE(r.klass.empty());
    }
    SUCCEED();
}

TEST(BadInput, NonUtf8TextIsKeptAndClassified) {
    const std::string log =
        "[   10.000000] WARNING: CPU: 0 PID: 1 at drivers/x.c:1 caf\xe9_fn+0x1/0x2 [bes2600]\n"
        "[   10.000001] \xff\xfe Call Trace:\n"
        "[   10.000002]  latin\xe9_caller+0x1/0x2 [bes2600]\n"
        "[   10.000003] bes2600: link break between lmac and host \xc3\x28\n";
    const auto c = classify(log);
    ASSERT_EQ(c.reports.size(), 2u);
    // The one-line driver report completes first; the WARNING at the end of input.
    EXPECT_EQ(c.reports[0].title, "bes2600: link break between lmac and host");
    EXPECT_EQ(c.reports[1].klass, "WARNING");
    EXPECT_EQ(c.reports[1].module, "bes2600");
}

TEST(BadInput, LongLineWithoutNewlineIsBounded) {
    std::string huge(3 << 20, 'A');
    huge += "\nBUG: soft lockup - CPU#0 stuck for 22s!\n";
    const auto c = classify(huge, {}, 65536);
    ASSERT_EQ(c.reports.size(), 1u);
    EXPECT_EQ(c.reports[0].klass, "SOFT_LOCKUP");
}

TEST(BadInput, UnreadableFileIsAClearError) {
    try {
        triage_file("/nonexistent/besrig/kmsg.log", {});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/besrig/kmsg.log"), std::string::npos);
    }
}

}  // namespace
}  // namespace besrig::kmsg
