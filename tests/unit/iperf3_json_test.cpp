// The iperf3 JSON parser against every file of the shared corpus (numbers read
// off the files) and against broken input.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "rig/iperf3/json_parser.hpp"
#include "test_support.hpp"

namespace besrig {
namespace {

using F = Iperf3Flow;

std::filesystem::path corpus(const std::string& name) { return test::corpora_dir() / "iperf3" / name; }
std::filesystem::path fixture(const std::string& name) { return std::filesystem::path(BESRIG_TEST_DATA_DIR) / "iperf3" / name; }

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

Iperf3Result parse_ok(const std::filesystem::path& p) {
    if (!std::filesystem::exists(p)) {
        ADD_FAILURE() << "missing input " << p;
        return {};
    }
    auto r = parse_iperf3_json_file(p);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().describe());
    return r.ok() ? r.value() : Iperf3Result{};
}

Iperf3ParseError parse_bad(const std::string& text, const std::string& source = "input.json") {
    auto r = parse_iperf3_json(text, source);
    EXPECT_FALSE(r.ok()) << "parsed although broken: " << text.substr(0, 80);
    return r.ok() ? Iperf3ParseError{} : r.error();
}

TEST(Iperf3Json, Tcp312Forward) {
    const auto r = parse_ok(corpus("iperf-3.12-tcp-forward-client.json"));
    EXPECT_EQ(r.version, "iperf 3.12");
    EXPECT_EQ(r.role, Iperf3Role::Client);
    EXPECT_FALSE(r.has_error());
    ASSERT_TRUE(r.params);
    EXPECT_EQ(r.params->protocol, "TCP");
    EXPECT_EQ(r.params->num_streams, 1);
    EXPECT_EQ(r.params->duration, 3);
    EXPECT_EQ(r.params->omit, 0);
    EXPECT_FALSE(r.params->reverse);
    EXPECT_FALSE(r.params->bidir);
    EXPECT_EQ(r.params->target_bitrate, 0u);
    ASSERT_EQ(r.samples.size(), 3u);
    EXPECT_EQ(r.samples[0].flow, F::ClientToServer);
    EXPECT_DOUBLE_EQ(r.samples[0].start, 0);
    EXPECT_DOUBLE_EQ(r.samples[0].end, 1.000248);
    EXPECT_EQ(r.samples[0].bytes, 1534853120u);
    EXPECT_DOUBLE_EQ(r.samples[0].bits_per_second, 12275781114.737633);
    EXPECT_NEAR(r.samples[0].mbytes_per_second(), 1534.4726, 1e-3);  // MB = 10^6 bytes
    EXPECT_EQ(r.samples[0].retransmits, 25);
    EXPECT_EQ(r.samples[2].bytes, 1466695680u);
    EXPECT_EQ(r.samples[2].retransmits, 47);
    const auto* s = r.summary(F::ClientToServer);
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(s->sent && s->received);
    EXPECT_EQ(s->sent->bytes, 4476108800u);
    EXPECT_DOUBLE_EQ(s->sent->bits_per_second, 11934165851.81171);
    EXPECT_EQ(s->sent->retransmits, 73);
    EXPECT_DOUBLE_EQ(s->sent->seconds, 3.000534);
    EXPECT_EQ(s->received->bytes, 4476108800u);
    EXPECT_DOUBLE_EQ(s->received->bits_per_second, 11933430087.92226);
    EXPECT_DOUBLE_EQ(s->received->seconds, 3.000719);
    EXPECT_EQ(r.summary(F::ServerToClient), nullptr);
    EXPECT_EQ(r.local_host, "127.0.0.1");
}

TEST(Iperf3Json, Tcp312ReverseIsServerToClient) {
    const auto r = parse_ok(corpus("iperf-3.12-tcp-reverse-client.json"));
    ASSERT_TRUE(r.params);
    EXPECT_TRUE(r.params->reverse);
    ASSERT_EQ(r.samples.size(), 3u);
    for (const auto& s : r.samples) EXPECT_EQ(s.flow, F::ServerToClient);
    EXPECT_EQ(r.samples[0].bytes, 1125908374u);
    EXPECT_DOUBLE_EQ(r.samples[1].bits_per_second, 10779958358.94557);
    EXPECT_FALSE(r.samples[0].retransmits);  // the client receives: no retransmit count
    const auto* s = r.summary(F::ServerToClient);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->sent->bytes, 4035706880u);
    EXPECT_EQ(s->sent->retransmits, 42);
    EXPECT_EQ(s->received->bytes, 4031905792u);
    EXPECT_DOUBLE_EQ(s->received->bits_per_second, 10743304541.297207);
    EXPECT_EQ(r.summary(F::ClientToServer), nullptr);
}

TEST(Iperf3Json, Tcp312FourStreamsWithOmittedWarmup) {
    const auto r = parse_ok(corpus("iperf-3.12-tcp-P4-omit1-client.json"));
    ASSERT_TRUE(r.params);
    EXPECT_EQ(r.params->num_streams, 4);
    EXPECT_EQ(r.params->omit, 1);
    ASSERT_EQ(r.samples.size(), 4u);  // the sums, not the 16 stream entries
    EXPECT_TRUE(r.samples[0].omitted);
    EXPECT_EQ(r.samples[0].bytes, 1575485440u);
    EXPECT_FALSE(r.samples[1].omitted);
    EXPECT_DOUBLE_EQ(r.samples[1].start, 0.000196);  // the clock restarts after the warm-up
    EXPECT_EQ(r.samples[1].bytes, 1960837120u);
    EXPECT_EQ(r.samples[3].bytes, 1950351360u);
    const auto counted = r.samples_of(F::ClientToServer);
    ASSERT_EQ(counted.size(), 3u);
    EXPECT_EQ(r.samples_of(F::ClientToServer, true).size(), 4u);
    const auto* s = r.summary(F::ClientToServer);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->sent->bytes, 5892997120u);
    EXPECT_EQ(s->sent->retransmits, 0);
    EXPECT_EQ(s->received->bytes, 5895225450u);
    EXPECT_DOUBLE_EQ(s->received->bits_per_second, 15711499004.909822);
}

TEST(Iperf3Json, Udp312KeepsLossAndJitter) {
    const auto r = parse_ok(corpus("iperf-3.12-udp-50M-client.json"));
    ASSERT_TRUE(r.params);
    EXPECT_EQ(r.params->protocol, "UDP");
    EXPECT_EQ(r.params->target_bitrate, 50000000u);
    ASSERT_EQ(r.samples.size(), 3u);
    EXPECT_EQ(r.samples[0].bytes, 6258688u);
    EXPECT_DOUBLE_EQ(r.samples[0].bits_per_second, 50053739.527535468);
    const auto* s = r.summary(F::ClientToServer);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->sent->bytes, 18776064u);
    EXPECT_DOUBLE_EQ(s->received->bits_per_second, 50063079.238164432);
    ASSERT_TRUE(s->udp);
    EXPECT_DOUBLE_EQ(*s->udp->jitter_ms, 0.0085563564549754455);
    EXPECT_EQ(s->udp->lost_packets, 0);
    EXPECT_EQ(s->udp->packets, 573);
    EXPECT_DOUBLE_EQ(*s->udp->lost_percent, 0);
}

TEST(Iperf3Json, Bidir312HasBothFlows) {
    const auto r = parse_ok(corpus("iperf-3.12-tcp-bidir-client.json"));
    ASSERT_TRUE(r.params);
    EXPECT_TRUE(r.params->bidir);  // 3.12 has no "bidir" flag: inferred from the reverse sums
    ASSERT_EQ(r.samples.size(), 6u);
    const auto fwd = r.samples_of(F::ClientToServer);
    const auto rev = r.samples_of(F::ServerToClient);
    ASSERT_EQ(fwd.size(), 3u);
    ASSERT_EQ(rev.size(), 3u);
    EXPECT_EQ(fwd[0].bytes, 1488977920u);
    EXPECT_EQ(fwd[0].retransmits, 6);
    EXPECT_EQ(rev[0].bytes, 156631040u);
    EXPECT_DOUBLE_EQ(rev[0].bits_per_second, 1252651257.7348046);
    EXPECT_EQ(rev[2].bytes, 147849216u);
    const auto* f = r.summary(F::ClientToServer);
    const auto* b = r.summary(F::ServerToClient);
    ASSERT_TRUE(f && b);
    EXPECT_EQ(f->sent->bytes, 4448583680u);
    EXPECT_EQ(f->sent->retransmits, 12);
    EXPECT_EQ(f->received->bytes, 4448583680u);
    EXPECT_EQ(b->sent->bytes, 457441280u);
    EXPECT_EQ(b->received->bytes, 453378048u);
    EXPECT_DOUBLE_EQ(b->received->bits_per_second, 1208428082.52039);
    // "sock_bufsize" & co. appear twice in "start": kept, and said so.
    bool noted = false;
    for (const auto& n : r.notes) noted = noted || n.find("sock_bufsize") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST(Iperf3Json, ConnectRefusedIsAnErrorNotAParseFailure) {
    const auto r = parse_ok(corpus("iperf-3.12-connect-refused-client.json"));
    EXPECT_TRUE(r.has_error());
    EXPECT_EQ(r.error, "unable to connect to server: Connection refused");
    EXPECT_EQ(r.version, "iperf 3.12");
    EXPECT_FALSE(r.params);
    EXPECT_TRUE(r.samples.empty());
    EXPECT_TRUE(r.summaries.empty());
}

TEST(Iperf3Json, StalledSenderShowsZerosAndTheIdleTimeout) {
    const auto r = parse_ok(corpus("iperf-3.12-tcp-reverse-stalled-client.json"));
    EXPECT_EQ(r.error, "idle timeout for receiving data");
    ASSERT_TRUE(r.params);
    EXPECT_EQ(r.params->duration, 8);
    // Six intervals in the file; the last repeats the one before and is dropped.
    ASSERT_EQ(r.samples.size(), 5u);
    EXPECT_EQ(r.samples[2].bytes, 1574306004u);
    EXPECT_EQ(r.samples[3].bytes, 0u);
    EXPECT_DOUBLE_EQ(r.samples[3].bits_per_second, 0);
    EXPECT_DOUBLE_EQ(r.samples[3].start, 3.000185);
    EXPECT_EQ(r.samples[4].bytes, 0u);
    EXPECT_DOUBLE_EQ(r.samples[4].end, 5.001234);
    for (const auto& s : r.samples) EXPECT_EQ(s.flow, F::ServerToClient);
    EXPECT_TRUE(r.summaries.empty());  // "end" is empty
    bool noted = false;
    for (const auto& n : r.notes) noted = noted || n.find("/intervals/5 repeats") != std::string::npos;
    EXPECT_TRUE(noted);
}

TEST(Iperf3Json, Tcp36OldShapeWithoutSenderFlags) {
    const auto r = parse_ok(corpus("iperf-3.6-tcp-P4-client.json"));
    EXPECT_EQ(r.version, "iperf 3.6");
    ASSERT_TRUE(r.params);
    EXPECT_EQ(r.params->num_streams, 4);
    EXPECT_EQ(r.params->duration, 60);
    EXPECT_FALSE(r.params->target_bitrate);
    ASSERT_EQ(r.samples.size(), 60u);
    EXPECT_EQ(r.samples[0].flow, F::ClientToServer);
    EXPECT_EQ(r.samples[0].bytes, 2123002224u);
    EXPECT_DOUBLE_EQ(r.samples[0].bits_per_second, 16979382602.686094);
    EXPECT_DOUBLE_EQ(r.samples[59].end, 60.002227783203125);
    EXPECT_EQ(r.samples[59].bytes, 2181038080u);
    const auto* s = r.summary(F::ClientToServer);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->sent->bytes, 131590680944u);
    EXPECT_EQ(s->sent->retransmits, 2);
    EXPECT_DOUBLE_EQ(s->received->bits_per_second, 17535714055.21963);
    EXPECT_EQ(r.local_host, "10.0.0.1");
    EXPECT_EQ(r.remote_host, "10.0.0.2");
}

TEST(Iperf3Json, Bidir39DuplicateSumKeysAreTheReverseHalf) {
    const auto r = parse_ok(fixture("hand-3.9-bidir-duplicate-keys.json"));
    const auto fwd = r.samples_of(F::ClientToServer);
    const auto rev = r.samples_of(F::ServerToClient);
    ASSERT_EQ(fwd.size(), 2u);
    ASSERT_EQ(rev.size(), 2u);
    EXPECT_EQ(fwd[1].bytes, 2000000u);
    EXPECT_EQ(rev[1].bytes, 500000u);
    const auto* b = r.summary(F::ServerToClient);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->sent->bytes, 1000000u);
    EXPECT_EQ(b->received->bytes, 990000u);
    EXPECT_EQ(r.summary(F::ClientToServer)->received->bytes, 3900000u);
}

TEST(Iperf3Json, OldUdpNanAndTextAfterTheJson) {
    const auto r = parse_ok(fixture("hand-3.1-udp-nan-trailing-text.json"));
    ASSERT_EQ(r.samples.size(), 1u);
    const auto* s = r.summary(F::ClientToServer);
    ASSERT_TRUE(s && s->udp);
    EXPECT_FALSE(s->udp->jitter_ms);     // "nan"
    EXPECT_FALSE(s->udp->lost_percent);  // "-nan"
    EXPECT_EQ(s->udp->packets, 0);
    ASSERT_TRUE(s->sent);  // old UDP: "sum" is the sender's count
    EXPECT_EQ(s->sent->bytes, 8192u);
    EXPECT_EQ(r.trailing_text, "iperf3: error - control socket has closed unexpectedly");
}

TEST(Iperf3Json, TruncatedDocumentSaysSo) {
    const auto text = slurp(corpus("iperf-3.12-tcp-forward-client.json"));
    ASSERT_GT(text.size(), 1000u);
    const auto e = parse_bad(text.substr(0, text.size() / 2), "cut.json");
    EXPECT_EQ(e.source, "cut.json");
    EXPECT_NE(e.message.find("truncated"), std::string::npos) << e.describe();
    EXPECT_NE(e.message.find("line 1, column 1"), std::string::npos) << e.describe();
}

TEST(Iperf3Json, EmptyAndGarbageInput) {
    EXPECT_NE(parse_bad("").message.find("empty"), std::string::npos);
    EXPECT_NE(parse_bad("  \n\t").message.find("empty"), std::string::npos);
    const auto g = parse_bad("iperf3: error - unable to connect to server: Connection refused\n");
    EXPECT_NE(g.message.find("no '{'"), std::string::npos) << g.describe();
    EXPECT_NE(g.message.find("iperf3: error"), std::string::npos) << g.describe();
    const auto binary = parse_bad(std::string("\x7f" "ELF\x01\x02{\x01\x02}", 11));
    EXPECT_NE(binary.message.find("invalid JSON"), std::string::npos) << binary.describe();
}

TEST(Iperf3Json, SyntaxErrorNamesLineAndColumn) {
    const auto e = parse_bad("{\n  \"start\": {\n    \"version\": \"iperf 3.12\",,\n  }\n}\n", "x.json");
    EXPECT_EQ(e.where, "line 3, column 29") << e.describe();
    EXPECT_NE(e.describe().find("x.json: line 3"), std::string::npos);
}

TEST(Iperf3Json, WrongTypesNameTheJsonPath) {
    auto text = slurp(corpus("iperf-3.12-tcp-forward-client.json"));
    const auto at = text.find("\"bytes\":\t1474560000", text.find("\"bytes\":\t1474560000") + 1);  // the sum's
    ASSERT_NE(at, std::string::npos);
    text.replace(at, std::string("\"bytes\":\t1474560000").size(), "\"bytes\":\t\"lots\"");
    const auto e = parse_bad(text);
    EXPECT_EQ(e.where, "/intervals/1/sum/bytes") << e.describe();
    EXPECT_NE(e.message.find("expected a number, found a string \"lots\""), std::string::npos) << e.describe();

    EXPECT_EQ(parse_bad("{\"start\": {}, \"intervals\": [], \"end\": {}}").where, "/start/test_start");
    EXPECT_EQ(parse_bad("{\"start\": [], \"intervals\": [], \"end\": {}}").where, "/start");
    EXPECT_EQ(parse_bad("{\"hello\": 1}").where, "/");
    const auto neg = parse_bad(R"({"start":{"test_start":{}},"intervals":[{"sum":{"start":0,"end":1,"bytes":-5}}],"end":{}})");
    EXPECT_EQ(neg.where, "/intervals/0/sum/bytes");
    const auto nosum = parse_bad(R"({"start":{"test_start":{}},"intervals":[{"streams":[]}],"end":{}})");
    EXPECT_EQ(nosum.where, "/intervals/0/streams");
}

TEST(Iperf3Json, MissingSumIsAddedUpFromStreams) {
    const auto r = parse_iperf3_json(
        R"({"start":{"test_start":{"num_streams":2}},"intervals":[{"streams":[
            {"start":0,"end":1,"bytes":100,"bits_per_second":800,"retransmits":1},
            {"start":0,"end":1,"bytes":50,"bits_per_second":400,"retransmits":2}]}],"end":{}})",
        "s.json");
    ASSERT_TRUE(r.ok()) << r.error().describe();
    ASSERT_EQ(r->samples.size(), 1u);
    EXPECT_EQ(r->samples[0].bytes, 150u);
    EXPECT_DOUBLE_EQ(r->samples[0].bits_per_second, 1200);
    EXPECT_EQ(r->samples[0].retransmits, 3);
}

TEST(Iperf3Json, UnreadableFileIsNamed) {
    auto r = parse_iperf3_json_file("/nonexistent/iperf.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().describe(), "/nonexistent/iperf.json: file: cannot be read");
}

}  // namespace
}  // namespace besrig
