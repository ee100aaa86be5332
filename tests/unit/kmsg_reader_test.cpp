#include <gtest/gtest.h>

#include "rig/kmsg/record_reader.hpp"
#include "rig/kmsg/text_prefix.hpp"

namespace besrig::kmsg {
namespace {

struct Collect : RecordSink {
    std::vector<LogRecord> records;
    std::vector<SequenceGap> gaps;
    void on_record(const LogRecord& r) override { records.push_back(r); }
    void on_gap(const SequenceGap& g) override { gaps.push_back(g); }
};

Collect read_all(std::string_view data, std::size_t chunk = 0) {
    Collect c;
    RecordReader reader(c);
    if (chunk == 0) chunk = data.size() + 1;
    for (std::size_t off = 0; off < data.size(); off += chunk) reader.feed(data.substr(off, chunk));
    reader.finish();
    return c;
}

TEST(KmsgReader, ParsesDeviceRecordsWithEscapesAndDictionary) {
    const auto c = read_all(
        "4,120,13012345,-;bes2600: tx\\x09queue \\x5c stuck\n"
        " SUBSYSTEM=sdio\n"
        " DEVICE=+sdio:mmc2:0001:1\n"
        "6,121,13012400,-,caller=T512;next\n");
    ASSERT_EQ(c.records.size(), 2u);
    EXPECT_EQ(c.records[0].text, "bes2600: tx\tqueue \\ stuck");
    EXPECT_EQ(c.records[0].level, 4);
    EXPECT_EQ(c.records[0].facility, 0);
    EXPECT_EQ(c.records[0].seq, 120u);
    EXPECT_DOUBLE_EQ(*c.records[0].time_s, 13.012345);
    ASSERT_EQ(c.records[0].dict.size(), 2u);
    EXPECT_EQ(c.records[0].dict[0], "SUBSYSTEM=sdio");
    EXPECT_EQ(c.records[1].caller, "T512");
    EXPECT_TRUE(c.gaps.empty());
}

TEST(KmsgReader, ReportsEverySequenceGapExplicitly) {
    Collect c;
    RecordReader reader(c);
    reader.feed("6,10,1,-;a\n6,11,2,-;b\n6,15,3,-;c\n");
    reader.note_overrun();
    reader.feed("6,40,4,-;d\n6,2,5,-;after reboot\n");
    reader.finish();
    ASSERT_EQ(c.gaps.size(), 3u);
    EXPECT_EQ(c.gaps[0].kind, SequenceGap::Kind::Lost);
    EXPECT_EQ(c.gaps[0].first_missing, 12u);
    EXPECT_EQ(c.gaps[0].count, 3u);
    EXPECT_EQ(c.gaps[1].kind, SequenceGap::Kind::Overrun);
    EXPECT_EQ(c.gaps[1].first_missing, 16u);
    EXPECT_EQ(c.gaps[1].count, 24u);
    EXPECT_EQ(c.gaps[2].kind, SequenceGap::Kind::Restart);
    EXPECT_EQ(reader.lost(), 27u);
    EXPECT_EQ(c.records.size(), 5u);
}

TEST(KmsgReader, ResumesFromAKnownSequence) {
    Collect c;
    RecordReader reader(c);
    reader.expect_next_seq(100);
    reader.feed("6,103,1,-;x\n");
    reader.finish();
    ASSERT_EQ(c.gaps.size(), 1u);
    EXPECT_EQ(c.gaps[0].first_missing, 100u);
    EXPECT_EQ(c.gaps[0].count, 3u);
}

TEST(KmsgReader, ConsoleDropNoticeIsAGap) {
    const auto c = read_all("** 12 printk messages dropped ** [   10.000000] hello\n");
    ASSERT_EQ(c.gaps.size(), 1u);
    EXPECT_EQ(c.gaps[0].kind, SequenceGap::Kind::Dropped);
    EXPECT_EQ(c.gaps[0].count, 12u);
    ASSERT_EQ(c.records.size(), 1u);
    EXPECT_EQ(c.records[0].text, "hello");
}

TEST(KmsgReader, AnyChunkingGivesTheSameRecords) {
    const std::string data =
        "6,1,100,-;first\n SUBSYSTEM=net\n6,2,200,-;second \\x41\n[   92.518566][ T5982] plain\n"
        "<4>[    1.000000] with syslog\r\nno newline at end";
    const auto whole = read_all(data);
    for (std::size_t chunk = 1; chunk < 12; ++chunk) {
        const auto parts = read_all(data, chunk);
        ASSERT_EQ(parts.records.size(), whole.records.size()) << "chunk " << chunk;
        for (std::size_t i = 0; i < whole.records.size(); ++i) EXPECT_EQ(parts.records[i].text, whole.records[i].text);
    }
    ASSERT_EQ(whole.records.size(), 5u);
    EXPECT_EQ(whole.records[4].text, "no newline at end");
}

TEST(TextPrefix, StripsTimestampsCallersSyslogAndJournal) {
    auto p = parse_text_prefix("[   92.518566][ T5982] ------------[ cut here ]------------");
    EXPECT_DOUBLE_EQ(*p.time_s, 92.518566);
    EXPECT_EQ(p.caller, "T5982");
    EXPECT_EQ(p.message, "------------[ cut here ]------------");

    p = parse_text_prefix("[ 1448.582930][    C1]  ? __pfx_rose_t0timer_expiry+0x10/0x10");
    EXPECT_EQ(p.caller, "C1");
    EXPECT_EQ(p.message, " ? __pfx_rose_t0timer_expiry+0x10/0x10");

    p = parse_text_prefix("<4>[    0.220317] WARNING: CPU: 0 PID: 0 at a.c:1 f+0x1/0x2");
    EXPECT_EQ(p.level, 4);
    EXPECT_EQ(p.message, "WARNING: CPU: 0 PID: 0 at a.c:1 f+0x1/0x2");

    p = parse_text_prefix("Nov 25 20:18:10 ohm kernel: bes2600_wlan mmc2:0001:1: link break between lmac and host");
    ASSERT_TRUE(p.wall_s);
    EXPECT_FALSE(p.time_s);
    EXPECT_EQ(p.message, "bes2600_wlan mmc2:0001:1: link break between lmac and host");

    p = parse_text_prefix("[    0.000000] [    T0] dmesg caller style");
    EXPECT_EQ(p.caller, "T0");
    EXPECT_EQ(p.message, "dmesg caller style");

    p = parse_text_prefix("no prefix at all");
    EXPECT_FALSE(p.time_s);
    EXPECT_EQ(p.message, "no prefix at all");
}

}  // namespace
}  // namespace besrig::kmsg
