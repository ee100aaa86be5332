// What besrig keeps of one iperf3 test, whichever way it was read: the whole
// `-J` document at the end (json_parser.hpp), the live text lines of
// `--forceflush` (text_parser.hpp) or the `--json-stream` events of 3.17+
// (json_stream_parser.hpp). All three fill the same Iperf3Result, so the
// layers above never care which iperf3 produced it.
//
// Directions are named by who sends (client -> server or back), not by
// iperf3's "sender" flag, which means "this end sends" and so flips between
// the client's and the server's output of the same test.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace besrig {

enum class Iperf3Flow {
    ClientToServer,  // iperf3's forward direction
    ServerToClient,  // -R, or the reverse half of --bidir
};
std::string to_string(Iperf3Flow flow);

// MB/s with MB = 10^6 bytes, the unit of the rig's rate caps and reports.
inline double bits_to_mbytes_per_second(double bits_per_second) { return bits_per_second / 8e6; }

// One reporting interval, summed over the streams of one flow.
struct Iperf3Sample {
    double start = 0;  // seconds since the test (or its omit phase) started
    double end = 0;
    std::uint64_t bytes = 0;  // exact from JSON; from text, as rounded by iperf3
    double bits_per_second = 0;
    bool omitted = false;  // a warm-up interval (-O), not counted
    Iperf3Flow flow = Iperf3Flow::ClientToServer;
    std::optional<std::int64_t> retransmits;  // TCP sender side only

    double seconds() const { return end - start; }
    double mbytes_per_second() const { return bits_to_mbytes_per_second(bits_per_second); }
};

// One end's total for a flow (iperf3's "sum_sent" or "sum_received").
struct Iperf3Totals {
    double seconds = 0;
    std::uint64_t bytes = 0;
    double bits_per_second = 0;
    std::optional<std::int64_t> retransmits;
    double mbytes_per_second() const { return bits_to_mbytes_per_second(bits_per_second); }
};

// UDP only: loss and jitter as the receiver measured them. Old iperf3
// versions print `nan` here when nothing arrived: read as absent.
struct Iperf3UdpStats {
    std::optional<double> jitter_ms;
    std::optional<std::int64_t> lost_packets;
    std::optional<std::int64_t> packets;
    std::optional<double> lost_percent;
};

struct Iperf3FlowSummary {
    Iperf3Flow flow = Iperf3Flow::ClientToServer;
    std::optional<Iperf3Totals> sent;      // the sending end's count
    std::optional<Iperf3Totals> received;  // the receiving end's count (the goodput)
    std::optional<Iperf3UdpStats> udp;
};

// The test as iperf3 understood it ("start.test_start" and friends).
struct Iperf3TestParams {
    std::string protocol;  // "TCP", "UDP", "SCTP"
    int num_streams = 1;
    int duration = 0;  // -t
    int omit = 0;      // -O
    bool reverse = false;
    bool bidir = false;
    std::int64_t blksize = 0;
    std::optional<std::uint64_t> target_bitrate;  // per stream, bits/s; 0 = unlimited
};

enum class Iperf3Role { Unknown, Client, Server };

struct Iperf3Result {
    Iperf3Role role = Iperf3Role::Unknown;
    std::string version;  // "iperf 3.12" as the output reports it; empty when it does not
    std::string system_info;
    std::string local_host;
    std::string remote_host;
    std::optional<Iperf3TestParams> params;
    std::vector<Iperf3Sample> samples;  // in arrival order, every flow interleaved
    std::vector<Iperf3FlowSummary> summaries;
    std::string error;          // iperf3's own error text; iperf3 3.11-3.13 still exit 0 with it
    std::string trailing_text;  // non-JSON text printed after the document
    std::vector<std::string> notes;  // repairs made while reading (duplicate keys, repeated intervals...)

    bool has_error() const { return !error.empty(); }
    const Iperf3FlowSummary* summary(Iperf3Flow flow) const;
    // The flow's samples; warm-up intervals only on request.
    std::vector<Iperf3Sample> samples_of(Iperf3Flow flow, bool include_omitted = false) const;
    // The flows this test carried, in the order first seen.
    std::vector<Iperf3Flow> flows() const;
};

// A parse failure: which input, where in it, what was wrong.
struct Iperf3ParseError {
    std::string source;   // file name, or "iperf3 server log /tmp/x.json"
    std::string where;    // "line 12, column 5", "/intervals/3/sum/bytes", "line 7"
    std::string message;
    std::string describe() const;
};

}  // namespace besrig
