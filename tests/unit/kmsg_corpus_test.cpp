// The classifier against real logs: syzkaller's expected titles and
// logspec's boot logs (../shared/corpora, used as they are).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "kmsg_test_support.hpp"
#include "rig/kmsg/headers.hpp"
#include "rig/kmsg/text_prefix.hpp"
#include "rig/kmsg/triage.hpp"
#include "test_support.hpp"

namespace besrig::kmsg {
namespace {

using test::classify;

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct SyzCase {
    std::string title;
    std::vector<std::string> alt;
    std::string log;
};

// syzkaller's test file: "KEY: value" header lines, a blank line, the log.
SyzCase read_syz(const std::filesystem::path& p) {
    const std::string all = slurp(p);
    SyzCase c;
    std::size_t pos = 0;
    while (pos < all.size()) {
        const auto nl = all.find('\n', pos);
        const std::string line = all.substr(pos, nl - pos);
        pos = nl == std::string::npos ? all.size() : nl + 1;
        if (line.empty()) break;
        if (line.rfind("TITLE: ", 0) == 0) c.title = line.substr(7);
        if (line.rfind("ALT: ", 0) == 0) c.alt.push_back(line.substr(5));
    }
    c.log = all.substr(pos);
    return c;
}

std::vector<std::filesystem::path> syz_files() {
    std::vector<std::filesystem::path> out;
    const auto dir = besrig::test::corpora_dir() / "kernel-logs" / "syzkaller";
    if (!std::filesystem::is_directory(dir)) return out;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".txt") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::filesystem::path logspec(const char* name) { return besrig::test::corpora_dir() / "kernel-logs" / "logspec" / name; }

TEST(SyzkallerCorpus, TitlesAgreeWithSyzkaller) {
    const auto files = syz_files();
    if (files.empty()) GTEST_SKIP() << "no syzkaller corpus under " << besrig::test::corpora_dir();
    EXPECT_GE(files.size(), 8u);
    for (const auto& f : files) {
        SCOPED_TRACE(f.filename().string());
        const auto c = read_syz(f);
        ASSERT_FALSE(c.title.empty()) << "no TITLE: header";
        const auto got = classify(c.log);
        ASSERT_FALSE(got.reports.empty());
        EXPECT_EQ(got.reports.front().title, c.title);
        EXPECT_FALSE(got.reports.front().corrupted);
    }
}

// Addresses, offsets, pids, CPU numbers, caller ids and timestamps all change
// between two runs of the same bug; the fingerprint must not.
std::string rewrite_volatile(const std::string& log) {
    std::string s = log;
    auto reverse_hex = [](const std::string& in, const std::regex& re, const std::string& lead) {
        std::string out;
        auto begin = std::sregex_iterator(in.begin(), in.end(), re);
        std::size_t last = 0;
        for (auto it = begin; it != std::sregex_iterator(); ++it) {
            out.append(in, last, static_cast<std::size_t>(it->position()) - last);
            std::string digits = it->str().substr(lead.size());
            std::reverse(digits.begin(), digits.end());
            for (auto& ch : digits) ch = ch == '0' ? '7' : ch;
            out += lead + digits;
            last = static_cast<std::size_t>(it->position() + it->length());
        }
        out.append(in, last);
        return out;
    };
    s = reverse_hex(s, std::regex("0x[0-9a-f]+"), "0x");
    s = reverse_hex(s, std::regex("ffff[0-9a-f]{12}"), "ffff");
    s = std::regex_replace(s, std::regex(R"(PID: *\d+)"), "PID: 31337");
    s = std::regex_replace(s, std::regex(R"(pid: *\d+)"), "pid:31337");
    s = std::regex_replace(s, std::regex(R"(CPU: \d+)"), "CPU: 3");
    s = std::regex_replace(s, std::regex(R"(CPU#\d+)"), "CPU#3");
    s = std::regex_replace(s, std::regex(R"(\[ *T\d+\])"), "[ T4242]");
    s = std::regex_replace(s, std::regex(R"(/\d+\n)"), "/4242\n");
    s = std::regex_replace(s, std::regex(R"(\[ *\d+\.\d+\])"), "[  777.000001]");
    return s;
}

TEST(SyzkallerCorpus, FingerprintsSurviveNewAddressesAndPids) {
    const auto files = syz_files();
    if (files.empty()) GTEST_SKIP() << "no syzkaller corpus";
    for (const auto& f : files) {
        SCOPED_TRACE(f.filename().string());
        const auto c = read_syz(f);
        const auto a = classify(c.log);
        const std::string changed = rewrite_volatile(c.log);
        ASSERT_NE(changed, c.log);
        const auto b = classify(changed);
        ASSERT_FALSE(a.reports.empty());
        ASSERT_FALSE(b.reports.empty());
        EXPECT_EQ(a.reports.front().title, b.reports.front().title);
        EXPECT_EQ(a.reports.front().fingerprint, b.reports.front().fingerprint);
    }
}

TEST(SyzkallerCorpus, DifferentBugsHaveDifferentFingerprints) {
    std::set<std::string> seen;
    const auto files = syz_files();
    if (files.empty()) GTEST_SKIP() << "no syzkaller corpus";
    for (const auto& f : files) seen.insert(classify(read_syz(f).log).reports.front().fingerprint);
    EXPECT_EQ(seen.size(), files.size());
}

TEST(LogspecCorpus, BootLogWarningAndPageFaultAreFound) {
    const auto path = logspec("linux_boot_005.log");
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
    const auto r = triage_file(path, {});
    const Signature* warn = nullptr;
    const Signature* fault = nullptr;
    for (const auto& s : r.signatures.signatures()) {
        if (s.first.title == "WARNING in apply_returns") warn = &s;
        if (s.first.klass == "PAGE_FAULT") fault = &s;
    }
    ASSERT_TRUE(warn) << "WARNING in apply_returns not found";
    EXPECT_EQ(warn->count, 3u);  // the board reset and hit it on each boot
    EXPECT_EQ(warn->first.function, "apply_returns");
    ASSERT_TRUE(fault) << "page fault not found";
    EXPECT_EQ(fault->first.title.rfind("BUG: unable to handle kernel paging request in ", 0), 0u);
    EXPECT_GE(fault->count, 2u);
    // Coreboot's own "WARNING: RO_VPD is uninitialized" lines are not kernel splats.
    for (const auto& s : r.signatures.signatures()) EXPECT_EQ(s.first.title.find("RO_VPD"), std::string::npos);
}

TEST(LogspecCorpus, ChunkingDoesNotChangeTheResult) {
    const auto path = logspec("linux_boot_007.log");
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "missing " << path;
    const std::string data = slurp(path);
    const auto whole = triage_bytes("whole", data, {}, 0);
    const auto small = triage_bytes("chunks", data, {}, 977);
    ASSERT_EQ(whole.signatures.signatures().size(), small.signatures.signatures().size());
    EXPECT_GT(whole.signatures.total(), 0u);
    for (std::size_t i = 0; i < whole.signatures.signatures().size(); ++i) {
        EXPECT_EQ(whole.signatures.signatures()[i].first.fingerprint, small.signatures.signatures()[i].first.fingerprint);
        EXPECT_EQ(whole.signatures.signatures()[i].count, small.signatures.signatures()[i].count);
    }
}

// The classifier skips match_header() for lines whose first byte
// header_may_start() rejects: on every line of every corpus file, a line that
// match_header() takes as a header must pass that filter.
TEST(Corpora, HeaderPrefilterNeverHidesAHeader) {
    std::size_t headers = 0, files = 0;
    for (const auto& sub : {"syzkaller", "logspec"}) {
        const auto dir = besrig::test::corpora_dir() / "kernel-logs" / sub;
        if (!std::filesystem::exists(dir)) continue;
        for (const auto& f : std::filesystem::recursive_directory_iterator(dir)) {
            if (!f.is_regular_file()) continue;
            ++files;
            std::istringstream in(slurp(f.path()));
            for (std::string line; std::getline(in, line);) {
                const auto msg = parse_text_prefix(line).message;
                if (msg.empty() || !match_header(msg)) continue;
                ++headers;
                EXPECT_TRUE(header_may_start(msg[0])) << f.path() << ": " << std::string(msg);
            }
        }
    }
    if (files == 0) GTEST_SKIP() << "no corpus under " << besrig::test::corpora_dir();
    EXPECT_GE(headers, 20u);  // 40 in the corpora of November 2026
}

}  // namespace
}  // namespace besrig::kmsg
