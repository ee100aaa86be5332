#include <gtest/gtest.h>

#include <random>

#include "kmsg_test_support.hpp"
#include "rig/kmsg/frames.hpp"
#include "rig/kmsg/line_patterns.hpp"
#include "rig/kmsg/text_prefix.hpp"
#include "util/error.hpp"

namespace besrig::kmsg {
namespace {

using test::classify;

// The story's splat as an arm64 board prints it.
constexpr std::string_view k_arm64_warn = R"([  113.000100] ------------[ cut here ]------------
[  113.000120] WARNING: CPU: 1 PID: 245 at drivers/net/wireless/bes2600/wsm.c:1530 wsm_release_tx_buffer+0x5c/0x80 [bes2600]
[  113.000130] Modules linked in: bes2600(OE) mac80211 cfg80211
[  113.000140] CPU: 1 PID: 245 Comm: kworker/u8:2 Tainted: G           OE     6.1.0 #1
[  113.000150] pc : wsm_release_tx_buffer+0x5c/0x80 [bes2600]
[  113.000160] lr : bes2600_bh_rx_helper+0x1a4/0x300 [bes2600]
[  113.000170] Call trace:
[  113.000180]  wsm_release_tx_buffer+0x5c/0x80 [bes2600]
[  113.000190]  bes2600_bh_rx_helper+0x1a4/0x300 [bes2600]
[  113.000200]  sdio_rx_work+0x88/0x120 [bes2600]
[  113.000210]  process_one_work+0x1f0/0x450
[  113.000220]  worker_thread+0x50/0x420
[  113.000230]  kthread+0x110/0x120
[  113.000240]  ret_from_fork+0x10/0x20
[  113.000250] ---[ end trace 0000000000000000 ]---
)";

// The simulated (x86-64 QEMU) board's shape: report_bug frames before the real ones.
constexpr std::string_view k_x86_warn = R"([   20.100000] WARNING: CPU: 0 PID: 77 at /build/bes2600/bh.c:88 bes2600_bh_work+0x3a/0x90 [bes2600]
[   20.100010] RIP: 0010:__warn_printk+0x10/0x20
[   20.100020] Call Trace:
[   20.100030]  <TASK>
[   20.100040]  ? __warn+0x7d/0xd0
[   20.100050]  ? report_bug+0xe6/0x170
[   20.100060]  ? handle_bug+0x41/0x70
[   20.100070]  ? exc_invalid_op+0x13/0x60
[   20.100080]  dump_stack_lvl+0x44/0x5c
[   20.100090]  bes2600_bh_work+0x3a/0x90 [bes2600]
[   20.100100]  process_one_work+0x1c4/0x380
[   20.100110]  </TASK>
[   20.100120] ---[ end trace 0000000000000000 ]---
)";

TEST(Classifier, ClassicWarningNamesTheDriverFunctionAndModule) {
    const auto c = classify(k_arm64_warn);
    ASSERT_EQ(c.reports.size(), 1u);
    const auto& r = c.reports[0];
    EXPECT_EQ(r.klass, "WARNING");
    EXPECT_EQ(r.title, "WARNING in wsm_release_tx_buffer");
    EXPECT_EQ(r.function, "wsm_release_tx_buffer");
    EXPECT_EQ(r.module, "bes2600");
    EXPECT_EQ(r.severity, "fail");
    EXPECT_DOUBLE_EQ(*r.time_s, 113.00012);
    EXPECT_EQ(r.fingerprint.size(), 64u);
    EXPECT_EQ(r.frames, (std::vector<std::string>{"wsm_release_tx_buffer", "bes2600_bh_rx_helper", "sdio_rx_work"}));
}

TEST(Classifier, GenericWarnMachineryIsSkipped) {
    const auto c = classify(k_x86_warn);
    ASSERT_EQ(c.reports.size(), 1u);
    EXPECT_EQ(c.reports[0].title, "WARNING in bes2600_bh_work");
    EXPECT_EQ(c.reports[0].module, "bes2600");
}

TEST(Classifier, SameBugTwiceHasOneFingerprintAndFoldsWithCount) {
    std::string log(k_arm64_warn);
    log += k_arm64_warn;
    const auto c = classify(log);
    ASSERT_EQ(c.reports.size(), 2u);
    EXPECT_EQ(c.reports[0].fingerprint, c.reports[1].fingerprint);
    SignatureTable t;
    for (const auto& r : c.reports) t.add(r);
    ASSERT_EQ(t.signatures().size(), 1u);
    EXPECT_EQ(t.signatures()[0].count, 2u);
}

TEST(Classifier, DeviceRecordsClassifyLikeText) {
    std::string kmsg;
    std::uint64_t seq = 500;
    for (std::string_view rest = k_arm64_warn; !rest.empty();) {
        const auto nl = rest.find('\n');
        auto line = rest.substr(0, nl);
        rest.remove_prefix(nl + 1);
        line.remove_prefix(line.find(']') + 2);
        kmsg += "4," + std::to_string(seq++) + ",113000100,-;" + std::string(line) + "\n";
    }
    const auto c = classify(kmsg);
    ASSERT_EQ(c.reports.size(), 1u);
    EXPECT_EQ(c.reports[0].title, "WARNING in wsm_release_tx_buffer");
    EXPECT_EQ(c.reports[0].seq, 501u);
    EXPECT_TRUE(c.gaps.empty());
}

TEST(Classifier, BenignTaintLinesAreNeverReports) {
    ClassifierOptions o;
    o.extra_patterns.push_back({"taint", "taint", "fail"});
    const auto c = classify(
        "[    5.000000] bes2600: loading out-of-tree module taints kernel.\n"
        "[    5.000001] bes2600: module verification failed: signature and/or required key missing - tainting kernel\n"
        "[    5.000002] WARNING: RO_VPD is uninitialized or empty.\n",
        o);
    EXPECT_TRUE(c.reports.empty());
}

TEST(Classifier, Bes2600SignaturesAreOneLineReports) {
    const auto c = classify(
        "[  120.1] bes2600_wlan mmc2:0001:1: link break between lmac and host, hw_buf_used:31 pending:4\n"
        "[  120.2] bes2600_wlan mmc2:0001:1: bes2600_pwr_enter_lp_mode, wait pm ind timeout\n"
        "[  120.3] bes2600_wlan mmc2:0001:1: sdio read error -110\n"
        "[  120.4] bes2600_wlan mmc2:0001:1: wsm_generic_confirm: cmd 0x0006 confirm timeout\n"
        "[  120.5] bes2600_wlan mmc2:0001:1: bes2600 firmware download failed: -5\n"
        "[  120.6] bes2600_wlan mmc2:0001:1: link break between lmac and host, hw_buf_used:30 pending:0\n");
    ASSERT_EQ(c.reports.size(), 6u);
    EXPECT_EQ(c.reports[0].title, "bes2600: link break between lmac and host");
    EXPECT_EQ(c.reports[0].klass, "BES2600");
    EXPECT_EQ(c.reports[1].title, "bes2600: wait pm ind timeout");
    EXPECT_EQ(c.reports[1].severity, "warn");
    EXPECT_EQ(c.reports[2].title, "bes2600: sdio read error");
    EXPECT_EQ(c.reports[3].title, "bes2600: wsm confirm timeout");
    EXPECT_EQ(c.reports[4].title, "bes2600: firmware error");
    EXPECT_EQ(c.reports[0].fingerprint, c.reports[5].fingerprint);
}

TEST(Classifier, ExtraPatternsFromConfig) {
    ClassifierOptions o;
    o.extra_patterns.push_back({"rx stall", R"(rx queue stalled for \d+ ms)", "warn"});
    const auto c = classify("[ 1.0] bes2600: rx queue stalled for 250 ms\n[ 1.1] rx queue stalled for many ms\n", o);
    ASSERT_EQ(c.reports.size(), 1u);
    EXPECT_EQ(c.reports[0].klass, "PATTERN");
    EXPECT_EQ(c.reports[0].title, "rx stall");
    EXPECT_EQ(c.reports[0].severity, "warn");
}

TEST(Classifier, BadExtraPatternIsAConfigErrorNamingIt) {
    ClassifierOptions o;
    o.extra_patterns.push_back({"broken", "a(b", "fail"});
    try {
        KernelLogClassifier k(o);
        FAIL() << "accepted a bad regex";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Config);
        EXPECT_NE(std::string(e.what()).find("kernel_log.extra_patterns[0]"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("broken"), std::string::npos);
    }
}

TEST(Classifier, LiveFeedEmitsAReportWhenItsEndArrives) {
    KernelLogClassifier k;
    std::vector<KernelReport> out;
    LogRecord rec;
    std::string_view rest = k_arm64_warn;
    std::size_t lines = 0;
    while (!rest.empty()) {
        const auto nl = rest.find('\n');
        const auto prefix = parse_text_prefix(rest.substr(0, nl));
        rec.text = std::string(prefix.message);
        rec.time_s = prefix.time_s;
        rest.remove_prefix(nl + 1);
        ++lines;
        k.feed(rec, out);
        if (!rest.empty()) {
            EXPECT_TRUE(out.empty()) << "emitted early at line " << lines;
        }
    }
    EXPECT_EQ(out.size(), 1u);
    EXPECT_EQ(k.open_reports(), 0u);
}

TEST(Classifier, LiveHungTaskClosesWhenTheStreamGoesQuiet) {
    KernelLogClassifier k;
    std::vector<KernelReport> out;
    LogRecord rec;
    rec.time_s = 500.0;
    for (const char* line : {"INFO: task kworker/0:1:12 blocked for more than 122 seconds.", "Call Trace:",
                             " __schedule+0x1/0x2", " wait_for_completion_timeout+0x1/0x2",
                             " wsm_cmd_send+0x1/0x2 [bes2600]"}) {
        rec.text = line;
        k.feed(rec, out);
    }
    k.close_idle(505.0, out);
    EXPECT_TRUE(out.empty());
    k.close_idle(511.0, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].title, "INFO: task hung in wsm_cmd_send");
    EXPECT_EQ(out[0].module, "bes2600");
}

TEST(Classifier, InterleavedContextsStaySeparate) {
    const auto c = classify(
        "[ 10.000000][ T100] WARNING: CPU: 0 PID: 100 at a/b.c:1 first_fn+0x1/0x2\n"
        "[ 10.000001][ T200] WARNING: CPU: 1 PID: 200 at c/d.c:2 second_fn+0x1/0x2 [bes2600]\n"
        "[ 10.000002][ T100] Call Trace:\n"
        "[ 10.000003][ T200] Call Trace:\n"
        "[ 10.000004][ T100]  first_caller+0x1/0x2\n"
        "[ 10.000005][ T200]  second_caller+0x1/0x2 [bes2600]\n"
        "[ 10.000006][ T100] ---[ end trace 1 ]---\n"
        "[ 10.000007][ T200] ---[ end trace 2 ]---\n");
    ASSERT_EQ(c.reports.size(), 2u);
    EXPECT_EQ(c.reports[0].title, "WARNING in first_caller");
    EXPECT_EQ(c.reports[1].title, "WARNING in second_caller");
    EXPECT_EQ(c.reports[1].module, "bes2600");
}

TEST(Classifier, NewVersusBaselineByFingerprint) {
    SignatureTable baseline, run;
    for (const auto& r : classify(k_x86_warn).reports) baseline.add(r);
    std::string log(k_x86_warn);
    log += k_arm64_warn;
    for (const auto& r : classify(log).reports) run.add(r);
    std::vector<std::string> known;
    for (const auto& s : baseline.signatures()) known.push_back(s.first.fingerprint);
    const auto fresh = new_signatures(run, known);
    ASSERT_EQ(fresh.size(), 1u);
    EXPECT_EQ(fresh[0]->first.title, "WARNING in wsm_release_tx_buffer");
}

TEST(Frames, ParsesTheShapesKernelsPrint) {
    auto f = parse_frame(" [<ffffffff81234567>] ? do_ip_setsockopt.isra.12+0x1d9/0x3210 [ipv6]");
    ASSERT_TRUE(f);
    EXPECT_TRUE(f->questionable);
    EXPECT_EQ(f->function, "do_ip_setsockopt.isra.12");
    EXPECT_EQ(f->module, "ipv6");
    EXPECT_EQ(normalize_function(f->function), "do_ip_setsockopt");
    EXPECT_TRUE(parse_frame("  __switch_to+0x2b0/0x6e0 (T)"));
    EXPECT_FALSE(parse_frame("RIP: 0010:apply_returns+0xc0/0x241"));
    EXPECT_FALSE(parse_frame("Modules linked in: bes2600"));
    EXPECT_EQ(parse_ip_frame("RIP: 0010:apply_returns+0xc0/0x241")->function, "apply_returns");
    EXPECT_EQ(parse_ip_frame("pc : _raw_spin_unlock_irqrestore+0x74/0x110")->function, "_raw_spin_unlock_irqrestore");
    EXPECT_FALSE(parse_ip_frame("RIP: 0033:0x45e179"));
    EXPECT_TRUE(is_generic_frame("__warn"));
    EXPECT_TRUE(is_generic_frame("report_bug"));
    EXPECT_FALSE(is_generic_frame("wsm_release_tx_buffer"));
}

TEST(LinePatterns, RegexLiteralOnlyWhenRequired) {
    EXPECT_EQ(regex_literal(R"(rx queue stalled for \d+ ms)"), "rx queue stalled for ");
    EXPECT_EQ(regex_literal("a|bcd"), "");
    EXPECT_EQ(regex_literal("(optional)?xy"), "");
    EXPECT_EQ(regex_literal(R"(timeout\.x)"), "timeout.x");
}

}  // namespace
}  // namespace besrig::kmsg

namespace besrig::kmsg {
namespace {

TEST(LiteralSet, AgreesWithPlainSearchOnRandomText) {
    std::mt19937 rng(7);
    const std::vector<std::string> lits{"timeout", "bes2600", "link break between lmac and host", "ab", "xyz"};
    LiteralSet set;
    for (const auto& l : lits) set.add(l);
    const std::string alphabet = "abxyzetimou bes2600link";
    for (int round = 0; round < 3000; ++round) {
        std::string s(rng() % 200, ' ');  // both paths: Wu-Manber below a block, probes above
        for (auto& ch : s) ch = alphabet[rng() % alphabet.size()];
        if (rng() % 3 == 0) s.insert(rng() % (s.size() + 1), lits[rng() % lits.size()]);
        std::uint64_t want = 0;
        for (std::size_t i = 0; i < lits.size(); ++i)
            if (s.find(lits[i]) != std::string::npos) want |= 1ULL << i;
        ASSERT_EQ(set.match(s), want) << s;
    }
}

}  // namespace
}  // namespace besrig::kmsg
