// The live parsers: text lines recorded from the real iperf3 3.12 on loopback
// (tests/data/iperf3/live-*.txt, record-live.sh), hand-written --json-stream
// events, and hostile lines.
#include <gtest/gtest.h>

#include <fstream>

#include "rig/iperf3/live_parser.hpp"
#include "rig/iperf3/version.hpp"
#include "test_support.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using F = Iperf3Flow;

std::filesystem::path fixture(const std::string& name) { return std::filesystem::path(BESRIG_TEST_DATA_DIR) / "iperf3" / name; }

// Feeds a recorded run line by line, like Remote::stream() would, and counts
// the samples handed back as they complete.
struct Fed {
    std::vector<Iperf3Sample> live;
    Iperf3Result result;
    bool finished = false;
};

Fed feed_file(Iperf3LiveParser& parser, const std::string& name) {
    Fed fed;
    std::ifstream out(fixture(name));
    EXPECT_TRUE(out.good()) << "missing fixture " << name;
    std::string line;
    while (std::getline(out, line)) {
        for (auto& s : parser.feed(line)) fed.live.push_back(s);
    }
    auto err_name = name.substr(0, name.rfind('.')) + ".err";
    std::ifstream err(fixture(err_name));
    while (err && std::getline(err, line)) parser.feed_stderr(line);
    fed.result = parser.result();
    fed.finished = parser.finished();
    return fed;
}

Fed feed_text(const std::string& name, Iperf3LiveOptions options = {}) {
    auto parser = make_iperf3_text_parser(options);
    return feed_file(*parser, name);
}

TEST(Iperf3Text, ForwardRateCappedRecordedRun) {
    const auto fed = feed_text("live-forward-4MBps.txt", {1, false, false});
    ASSERT_EQ(fed.live.size(), 3u);
    EXPECT_TRUE(fed.finished);
    EXPECT_FALSE(fed.result.has_error());
    EXPECT_EQ(fed.live[0].flow, F::ClientToServer);
    EXPECT_DOUBLE_EQ(fed.live[0].start, 0);
    EXPECT_DOUBLE_EQ(fed.live[0].end, 1);
    EXPECT_DOUBLE_EQ(fed.live[0].bits_per_second, 32503e3);
    EXPECT_NEAR(fed.live[0].mbytes_per_second(), 4.0629, 1e-4);
    EXPECT_EQ(fed.live[0].bytes, 4068475u);  // "3.88 MBytes" = 3.88 * 2^20, rounded
    EXPECT_EQ(fed.live[2].retransmits, 1);
    EXPECT_DOUBLE_EQ(fed.live[2].bits_per_second, 31457e3);
    const auto* s = fed.result.summary(F::ClientToServer);
    ASSERT_TRUE(s && s->sent && s->received);
    EXPECT_DOUBLE_EQ(s->sent->bits_per_second, 32155e3);
    EXPECT_EQ(s->sent->retransmits, 1);
    EXPECT_DOUBLE_EQ(s->received->bits_per_second, 32044e3);
    EXPECT_DOUBLE_EQ(s->received->seconds, 3.01);
    EXPECT_EQ(fed.result.local_host, "127.0.0.1");
}

TEST(Iperf3Text, ReverseFourStreamsUsesSumLinesAndMarksWarmup) {
    // Stream count unknown to the parser: learned from the "connected" lines.
    const auto fed = feed_text("live-reverse-P2-omit1.txt");
    ASSERT_EQ(fed.live.size(), 3u);
    EXPECT_TRUE(fed.result.params->reverse);  // from "Reverse mode, ..."
    for (const auto& s : fed.live) EXPECT_EQ(s.flow, F::ServerToClient);
    EXPECT_TRUE(fed.live[0].omitted);
    EXPECT_DOUBLE_EQ(fed.live[0].bits_per_second, 16775e3);
    EXPECT_FALSE(fed.live[1].omitted);
    EXPECT_DOUBLE_EQ(fed.live[1].bits_per_second, 16776e3);
    EXPECT_DOUBLE_EQ(fed.live[2].bits_per_second, 14681e3);
    EXPECT_FALSE(fed.live[1].retransmits);
    const auto* s = fed.result.summary(F::ServerToClient);
    ASSERT_TRUE(s && s->sent && s->received);
    EXPECT_DOUBLE_EQ(s->sent->bits_per_second, 15661e3);
    EXPECT_DOUBLE_EQ(s->received->bits_per_second, 15729e3);
}

TEST(Iperf3Text, AdaptiveUnits) {
    const auto fed = feed_text("live-forward-adaptive-units.txt", {1, false, false});
    ASSERT_EQ(fed.live.size(), 2u);
    EXPECT_DOUBLE_EQ(fed.live[0].bits_per_second, 6.41e9);
    EXPECT_EQ(fed.live[0].bytes, 764ull * 1024 * 1024);
    EXPECT_DOUBLE_EQ(fed.live[1].bits_per_second, 11.2e9);
    EXPECT_EQ(fed.live[1].retransmits, 2);
}

TEST(Iperf3Text, UdpLossAndJitter) {
    const auto fed = feed_text("live-udp-20M.txt", {1, false, false});
    ASSERT_EQ(fed.live.size(), 2u);
    EXPECT_EQ(fed.result.params->protocol, "UDP");
    EXPECT_FALSE(fed.live[0].retransmits);  // 77 is a datagram count, not retransmits
    const auto* s = fed.result.summary(F::ClientToServer);
    ASSERT_TRUE(s && s->udp);
    EXPECT_DOUBLE_EQ(*s->udp->jitter_ms, 0.007);
    EXPECT_EQ(s->udp->lost_packets, 0);
    EXPECT_EQ(s->udp->packets, 153);
    EXPECT_DOUBLE_EQ(*s->udp->lost_percent, 0);
}

TEST(Iperf3Text, BidirRoles) {
    const auto fed = feed_text("live-bidir.txt");
    ASSERT_EQ(fed.live.size(), 4u);
    EXPECT_TRUE(fed.result.params->bidir);
    EXPECT_EQ(fed.live[0].flow, F::ClientToServer);  // [TX-C]
    EXPECT_EQ(fed.live[1].flow, F::ServerToClient);  // [RX-C]
    EXPECT_DOUBLE_EQ(fed.live[3].bits_per_second, 8389e3);
    ASSERT_NE(fed.result.summary(F::ServerToClient), nullptr);
    EXPECT_DOUBLE_EQ(fed.result.summary(F::ServerToClient)->received->bits_per_second, 8360e3);
}

TEST(Iperf3Text, StalledSenderGoesToZeroAndRepeatsAreDropped) {
    const auto fed = feed_text("live-reverse-stalled.txt", {1, true, false});
    ASSERT_EQ(fed.live.size(), 4u);  // 3.00-4.00 printed twice
    EXPECT_GT(fed.live[0].bits_per_second, 0);
    EXPECT_DOUBLE_EQ(fed.live[2].bits_per_second, 0);
    EXPECT_EQ(fed.live[3].bytes, 0u);
    EXPECT_EQ(fed.result.error, "the server has terminated");
    EXPECT_TRUE(fed.finished);
}

TEST(Iperf3Text, ServerKilledMidRun) {
    const auto fed = feed_text("live-server-killed.txt", {1, false, false});
    ASSERT_EQ(fed.live.size(), 1u);
    EXPECT_EQ(fed.result.error, "control socket has closed unexpectedly");
    EXPECT_TRUE(fed.result.summaries.empty());
}

TEST(Iperf3Text, ConnectRefused) {
    const auto fed = feed_text("live-connect-refused.txt");
    EXPECT_TRUE(fed.live.empty());
    EXPECT_EQ(fed.result.error, "unable to connect to server: Connection refused");
}

TEST(Iperf3Text, HostileLinesBecomeNotesNotSamples) {
    auto p = make_iperf3_text_parser({1, false, false});
    const std::vector<std::string> bad = {
        "[  5]   1.00-2.00   sec  3.88 MBytes  lots Kbits/sec",
        "[  5]   2.00-1.00   sec  3.88 MBytes  32 Kbits/sec    0",
        "[  5]   1.00-2.00   sec  -3 MBytes  32 Kbits/sec    0",
        "[  5]   1.00-2.00   min  3.88 MBytes  32 Kbits/sec    0",
        "[  5]   1.00-2.00   sec  3.88 Mbobs  32 Kbits/sec    0",
        "[  5]   1.00-2.00   sec  3.88 MBytes  32 Kbits/fortnight",
        "[  5]   nan-inf   sec  3.88 MBytes  32 Kbits/sec",
        "[ x5]   1.00-2.00   sec  3.88 MBytes  32 Kbits/sec",
        "[  5][XX-C]   1.00-2.00   sec  3.88 MBytes  32 Kbits/sec",
        "[  5   1.00-2.00",
        "[  5]",
        "[  5]   1.00-2.00   sec  9e30 MBytes  32 Kbits/sec",
        std::string("[  5]   1.00-2.00 \x01\xff sec", 26),
        std::string(100000, '['),
    };
    for (const auto& line : bad) EXPECT_TRUE(p->feed(line).empty()) << line.substr(0, 80);
    // Lines that are not intervals at all are ignored without a note.
    EXPECT_TRUE(p->feed("Connecting to host 127.0.0.1, port 5201").empty());
    EXPECT_TRUE(p->feed("").empty());
    const auto r = p->result();
    EXPECT_TRUE(r.samples.empty());
    EXPECT_EQ(r.notes.size(), bad.size());
    EXPECT_NE(r.notes[0].find("line 1: not an interval line (bad bitrate"), std::string::npos) << r.notes[0];
    EXPECT_NE(r.notes.back().find("100000 bytes long"), std::string::npos) << r.notes.back();
    // And a good line still works afterwards.
    EXPECT_EQ(p->feed("[  5]   0.00-1.00   sec  1.00 MBytes  8388 Kbits/sec    0   1.12 MBytes       ").size(), 1u);
}

TEST(Iperf3JsonStream, IntervalsArriveLiveAndTheEndCompletesTheResult) {
    auto p = make_iperf3_json_stream_parser("board iperf3");
    const auto fed = feed_file(*p, "hand-json-stream-reverse.jsonl");
    ASSERT_EQ(fed.live.size(), 3u);
    EXPECT_TRUE(fed.finished);
    EXPECT_TRUE(fed.live[0].omitted);
    EXPECT_EQ(fed.live[1].flow, F::ServerToClient);
    EXPECT_EQ(fed.live[1].bytes, 4000000u);
    EXPECT_DOUBLE_EQ(fed.live[2].bits_per_second, 31981280.2);
    EXPECT_EQ(fed.result.version, "iperf 3.17.1");
    ASSERT_TRUE(fed.result.params);
    EXPECT_EQ(fed.result.params->target_bitrate, 32000000u);
    EXPECT_EQ(fed.result.samples.size(), 3u);
    const auto* s = fed.result.summary(F::ServerToClient);
    ASSERT_TRUE(s && s->sent && s->received);
    EXPECT_EQ(s->sent->retransmits, 3);
    EXPECT_EQ(s->received->bytes, 7997696u);
}

TEST(Iperf3JsonStream, ErrorEvent) {
    auto p = make_iperf3_json_stream_parser("board iperf3");
    const auto fed = feed_file(*p, "hand-json-stream-error.jsonl");
    EXPECT_TRUE(fed.live.empty());
    EXPECT_TRUE(fed.finished);
    EXPECT_EQ(fed.result.error, "unable to connect to server: Connection refused");
}

TEST(Iperf3JsonStream, HostileAndTruncatedLines) {
    auto p = make_iperf3_json_stream_parser("s");
    EXPECT_TRUE(p->feed(R"({"event":"interval","data":{"sum":{"start":0,"end":1,"bytes":)").empty());
    EXPECT_TRUE(p->feed(R"({"event":"interval","data":{"sum":{"start":0,"end":1,"bytes":"x"}}})").empty());
    EXPECT_TRUE(p->feed(R"({"event":"interval"})").empty());
    EXPECT_TRUE(p->feed("garbage").empty());
    EXPECT_TRUE(p->feed(R"({"event":"surprise","data":1})").empty());
    EXPECT_EQ(p->feed(R"({"event":"interval","data":{"sum":{"start":0,"end":1,"bytes":10,"bits_per_second":80}}})").size(), 1u);
    const auto r = p->result();  // no start or end event: samples kept, the gap said
    EXPECT_FALSE(p->finished());
    ASSERT_EQ(r.samples.size(), 1u);
    bool truncated = false, typed = false, ended = false;
    for (const auto& n : r.notes) {
        truncated = truncated || n.find("truncated") != std::string::npos;
        typed = typed || n.find("/data/sum/bytes: expected a number") != std::string::npos;
        ended = ended || n.find("before iperf3's end event") != std::string::npos;
    }
    EXPECT_TRUE(truncated && typed && ended);
}

TEST(Iperf3Version, ParsesWhatIperf3Prints) {
    auto v = parse_iperf3_version("iperf 3.12 (cJSON 1.7.15)\nLinux vm 6.1 x86_64\n");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->minor, 12);
    EXPECT_EQ(v->text, "iperf 3.12");
    EXPECT_FALSE(v->has_json_stream());
    v = parse_iperf3_version("iperf 3.17.1 (cJSON 1.7.15)");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->patch, 1);
    EXPECT_TRUE(v->has_json_stream());
    EXPECT_TRUE(v->threaded_streams());
    EXPECT_EQ(parse_iperf3_version("iperf 3.9+")->text, "iperf 3.9+");
    EXPECT_FALSE(parse_iperf3_version("iperf version 2.1.9 (14 March 2023) pthreads"));
    EXPECT_FALSE(parse_iperf3_version(""));
    EXPECT_FALSE(parse_iperf3_version("iperf 3."));
    // The installed one, if any (the tests need it elsewhere anyway).
    std::ifstream recorded(fixture("live-version.txt"));
    std::string line;
    std::getline(recorded, line);
    EXPECT_TRUE(parse_iperf3_version(line)) << line;
}

}  // namespace
}  // namespace besrig
