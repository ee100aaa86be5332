// The plain text interval lines of `iperf3 --forceflush` (3.x), for example
//   [  5]   1.00-2.00   sec  3.88 MBytes  32506 Kbits/sec    0    767 KBytes
//   [SUM]   0.00-1.00   sec  2.00 MBytes  16775 Kbits/sec          (omitted)
//   [  5][TX-C]   0.00-1.00   sec  1.00 MBytes  8388 Kbits/sec    0   1.12 MBytes
//   [  5]   0.00-2.00   sec  4.78 MBytes  20.0 Mbits/sec  0.007 ms  0/153 (0%)  receiver
// Read by whitespace-separated fields after the "[id]" (and "[role]") tag, not by
// column, since iperf3's columns drift with the width of the numbers.
#include <cmath>
#include <map>

#include "rig/iperf3/live_parser.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

constexpr std::size_t max_line = 4096;
constexpr std::size_t max_notes = 50;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::vector<std::string_view> fields(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        const auto b = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > b) out.push_back(s.substr(b, i - b));
    }
    return out;
}

// "KBytes" -> 1024, "Mbits/sec" -> 10^6: iperf3 counts bytes in powers of
// two and bits in powers of ten.
std::optional<double> unit_factor(std::string_view unit, bool rate) {
    if (rate) {
        if (!ends_with(unit, "/sec")) return std::nullopt;
        unit.remove_suffix(4);
    }
    double scale = 1;
    bool bytes = false;
    std::string_view base = unit;
    if (!unit.empty() && std::string_view("KMGT").find(unit[0]) != std::string_view::npos) {
        base = unit.substr(1);
    }
    if (base == "Bytes") bytes = true;
    else if (base != "bits") return std::nullopt;
    if (base.size() != unit.size()) {
        const double step = bytes ? 1024.0 : 1000.0;
        const auto p = std::string_view("KMGT").find(unit[0]);
        scale = std::pow(step, static_cast<double>(p + 1));
    }
    return bytes && rate ? scale * 8 : scale;  // rates in bytes/sec become bits/sec
}

struct Interval {
    bool sum = false;
    std::optional<Iperf3Flow> tagged_flow;
    double start = 0, end = 0;
    double bytes = 0;
    double bits_per_second = 0;
    bool omitted = false;
    std::string side;  // "sender" / "receiver" on summary lines
    std::optional<std::int64_t> first_int;  // retransmits (TCP) or datagrams (UDP)
    std::optional<double> jitter_ms;
    std::optional<std::int64_t> lost, total;
    std::optional<double> lost_percent;
};

// Parses "[  5]..." / "[SUM]..."; nullopt with `why` set when it is not one.
std::optional<Interval> parse_interval(std::string_view line, std::string& why) {
    Interval iv;
    const auto close = line.find(']');
    if (close == std::string_view::npos) return why = "no closing ']'", std::nullopt;
    const auto id = trim(line.substr(1, close - 1));
    if (id == "SUM") iv.sum = true;
    else if (!parse_int(id)) return why = "stream id \"" + printable(id, 20) + "\" is not a number", std::nullopt;
    auto rest = line.substr(close + 1);
    if (starts_with(rest, "[")) {
        const auto rclose = rest.find(']');
        if (rclose == std::string_view::npos) return why = "no closing ']' after the role", std::nullopt;
        const auto role = rest.substr(1, rclose - 1);
        if (role == "TX-C" || role == "RX-S") iv.tagged_flow = Iperf3Flow::ClientToServer;
        else if (role == "RX-C" || role == "TX-S") iv.tagged_flow = Iperf3Flow::ServerToClient;
        else return why = "unknown role \"" + printable(role, 20) + "\"", std::nullopt;
        rest = rest.substr(rclose + 1);
    }
    const auto f = fields(rest);
    if (f.size() < 6) return why = "too few fields", std::nullopt;
    const auto dash = f[0].find('-');
    if (dash == std::string_view::npos) return why = "no start-end interval", std::nullopt;
    const auto s = parse_double(f[0].substr(0, dash));
    const auto e = parse_double(f[0].substr(dash + 1));
    if (!s || !e || *s < 0 || *e < *s) return why = "bad interval \"" + printable(f[0], 30) + "\"", std::nullopt;
    if (f[1] != "sec") return why = "expected \"sec\" after the interval", std::nullopt;
    const auto amount = parse_double(f[2]);
    const auto amount_unit = unit_factor(f[3], false);
    const auto rate = parse_double(f[4]);
    const auto rate_unit = unit_factor(f[5], true);
    if (!amount || *amount < 0 || !amount_unit) return why = "bad transfer \"" + printable(f[2], 20) + " " + printable(f[3], 20) + "\"", std::nullopt;
    if (!rate || *rate < 0 || !rate_unit) return why = "bad bitrate \"" + printable(f[4], 20) + " " + printable(f[5], 20) + "\"", std::nullopt;
    iv.start = *s;
    iv.end = *e;
    iv.bytes = *amount * *amount_unit;
    iv.bits_per_second = *rate * *rate_unit;
    if (iv.bytes > 1.8e19 || iv.bits_per_second > 1e15) return why = "implausible numbers", std::nullopt;
    for (std::size_t i = 6; i < f.size(); ++i) {
        const auto t = f[i];
        if (t == "(omitted)") iv.omitted = true;
        else if (t == "sender" || t == "receiver") iv.side = std::string(t);
        else if (t == "ms" && i > 6) iv.jitter_ms = parse_double(f[i - 1]);
        else if (t.find('/') != std::string_view::npos) {  // UDP "lost/total"
            const auto slash = t.find('/');
            iv.lost = parse_int(t.substr(0, slash));
            iv.total = parse_int(t.substr(slash + 1));
        } else if (t.size() > 3 && t.front() == '(' && ends_with(t, "%)")) {
            iv.lost_percent = parse_double(t.substr(1, t.size() - 3));
        } else if (i == 6) {
            iv.first_int = parse_int(t);
        }
    }
    return iv;
}

class TextParser final : public Iperf3LiveParser {
public:
    explicit TextParser(const Iperf3LiveOptions& o) : options_(o) {
        result_.role = Iperf3Role::Client;
        Iperf3TestParams p;
        p.protocol = "TCP";
        p.num_streams = o.streams > 0 ? o.streams : 1;
        p.reverse = o.reverse;
        p.bidir = o.bidir;
        result_.params = p;
    }

    std::vector<Iperf3Sample> feed(std::string_view raw) override {
        ++line_no_;
        std::string_view line = raw;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        if (line.size() > max_line) {
            note("line " + std::to_string(line_no_) + ": " + std::to_string(line.size()) + " bytes long; ignored");
            return {};
        }
        if (line.empty()) return {};
        if (auto err = iperf3_error_line(line); !err.empty()) {
            result_.error = err;
            finished_ = true;
            return {};
        }
        if (line == "iperf Done.") {
            finished_ = true;
            return {};
        }
        if (starts_with(line, "Reverse mode,")) {
            result_.params->reverse = true;
            return {};
        }
        if (starts_with(line, "iperf ") && result_.version.empty()) {  // -V prints the version
            result_.version = std::string(line.substr(0, line.find(' ', 6)));
            return {};
        }
        if (starts_with(line, "[ ID]")) {
            if (line.find("Datagrams") != std::string_view::npos) result_.params->protocol = "UDP";
            if (line.find("[Role]") != std::string_view::npos) result_.params->bidir = true;
            return {};
        }
        if (!starts_with(line, "[")) return {};  // "Connecting to host...", "- - -", blank
        if (line.find(" connected to ") != std::string_view::npos) {
            if (line.find(" local ") != std::string_view::npos) {
                ++connected_;
                if (result_.local_host.empty()) result_.local_host = word_after(line, " local ");
                if (result_.remote_host.empty()) result_.remote_host = word_after(line, " connected to ");
            }
            return {};
        }
        std::string why;
        const auto iv = parse_interval(line, why);
        if (!iv) {
            note("line " + std::to_string(line_no_) + ": not an interval line (" + why + "): " + printable(line, 120));
            return {};
        }
        return take(*iv);
    }

    void feed_stderr(std::string_view line) override {
        if (auto err = iperf3_error_line(line); !err.empty()) {
            result_.error = err;
            finished_ = true;
        }
    }

    Iperf3Result result() const override { return result_; }
    bool finished() const override { return finished_; }

private:
    static std::string word_after(std::string_view line, std::string_view marker) {
        const auto at = line.find(marker);
        const auto f = fields(line.substr(at + marker.size()));
        return f.empty() ? std::string() : std::string(f[0]);
    }

    void note(std::string text) {
        if (result_.notes.size() < max_notes) result_.notes.push_back(std::move(text));
    }

    int streams_per_flow() const {
        if (options_.streams > 0) return options_.streams;
        const int flows = result_.params->bidir ? 2 : 1;
        return std::max(1, connected_ / flows);
    }

    std::vector<Iperf3Sample> take(const Interval& iv) {
        result_.params->num_streams = streams_per_flow();
        // With several streams only the [SUM] lines are the flow's total.
        if ((streams_per_flow() > 1) != iv.sum) return {};
        const Iperf3Flow flow = iv.tagged_flow.value_or(result_.params->reverse ? Iperf3Flow::ServerToClient
                                                                                : Iperf3Flow::ClientToServer);
        if (!iv.side.empty()) {
            summarise(iv, flow);
            return {};
        }
        Iperf3Sample s;
        s.start = iv.start;
        s.end = iv.end;
        s.bytes = static_cast<std::uint64_t>(std::llround(iv.bytes));
        s.bits_per_second = iv.bits_per_second;
        s.omitted = iv.omitted;
        s.flow = flow;
        if (result_.params->protocol != "UDP") s.retransmits = iv.first_int;
        // A stalled or dying 3.12 repeats its last interval line before giving up.
        if (auto it = last_.find(flow); it != last_.end() && it->second.start == s.start &&
                                        it->second.end == s.end && it->second.omitted == s.omitted) {
            note("line " + std::to_string(line_no_) + ": repeats the interval before it; dropped");
            return {};
        }
        last_[flow] = s;
        result_.samples.push_back(s);
        return {s};
    }

    void summarise(const Interval& iv, Iperf3Flow flow) {
        Iperf3FlowSummary* summary = nullptr;
        for (auto& s : result_.summaries) {
            if (s.flow == flow) summary = &s;
        }
        if (!summary) {
            result_.summaries.push_back(Iperf3FlowSummary{flow, {}, {}, {}});
            summary = &result_.summaries.back();
        }
        Iperf3Totals t;
        t.seconds = iv.end - iv.start;
        t.bytes = static_cast<std::uint64_t>(std::llround(iv.bytes));
        t.bits_per_second = iv.bits_per_second;
        if (result_.params->protocol != "UDP") t.retransmits = iv.first_int;
        if (iv.side == "sender") summary->sent = t;
        else summary->received = t;
        if (iv.jitter_ms && iv.side == "receiver") {
            summary->udp = Iperf3UdpStats{iv.jitter_ms, iv.lost, iv.total, iv.lost_percent};
        }
    }

    Iperf3LiveOptions options_;
    Iperf3Result result_;
    std::map<Iperf3Flow, Iperf3Sample> last_;
    int connected_ = 0;
    std::size_t line_no_ = 0;
    bool finished_ = false;
};

}  // namespace

std::string iperf3_error_line(std::string_view line) {
    for (std::string_view prefix : {"iperf3: error - ", "iperf3: interrupt - "}) {
        if (starts_with(line, prefix)) return std::string(trim(line.substr(prefix.size())));
    }
    return {};
}

std::unique_ptr<Iperf3LiveParser> make_iperf3_text_parser(const Iperf3LiveOptions& options) {
    return std::make_unique<TextParser>(options);
}

}  // namespace besrig
