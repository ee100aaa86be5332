#include "rig/iperf3/json_parser.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "rig/iperf3/json_text.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using nlohmann::json;

// Thrown inside this file only; turned into an Iperf3ParseError at the top.
struct FieldError {
    std::string path;
    std::string message;
};

std::string type_name(const json& j) {
    if (j.is_null()) return "null";
    if (j.is_boolean()) return "a boolean";
    if (j.is_number()) return "a number";
    if (j.is_string()) return "a string \"" + printable(j.get<std::string>(), 40) + "\"";
    if (j.is_array()) return "an array";
    return "an object";
}

// A JSON value with its path, so every complaint says where it was.
class Node {
public:
    Node(const json& j, std::string path) : j_(j), path_(std::move(path)) {}
    const json& value() const { return j_; }
    const std::string& path() const { return path_; }
    bool is_object() const { return j_.is_object(); }

    bool has(const char* key) const { return j_.is_object() && j_.contains(key); }
    std::optional<Node> find(const std::string& key) const {
        if (!has(key.c_str())) return std::nullopt;
        return Node(j_.at(key), path_ + "/" + key);
    }
    Node object(const char* key) const {
        auto n = require(key);
        if (!n.j_.is_object()) throw FieldError{n.path_, "expected an object, found " + type_name(n.j_)};
        return n;
    }
    Node array(const char* key) const {
        auto n = require(key);
        if (!n.j_.is_array()) throw FieldError{n.path_, "expected an array, found " + type_name(n.j_)};
        return n;
    }
    std::size_t size() const { return j_.size(); }
    Node operator[](std::size_t i) const { return Node(j_.at(i), path_ + "/" + std::to_string(i)); }

    double number(const char* key) const {
        auto n = require(key);
        if (!n.j_.is_number()) throw FieldError{n.path_, "expected a number, found " + type_name(n.j_)};
        const double v = n.j_.get<double>();
        if (!std::isfinite(v)) throw FieldError{n.path_, "expected a finite number"};
        return v;
    }
    std::optional<double> opt_number(const char* key) const {
        if (!has(key) || j_.at(key).is_null()) return std::nullopt;
        return number(key);
    }
    std::uint64_t count(const char* key) const {
        const double v = number(key);
        if (v < 0) throw FieldError{path_ + "/" + key, "expected a count >= 0, found " + std::to_string(v)};
        if (v > 1.8e19) throw FieldError{path_ + "/" + key, "count out of range"};
        const auto& raw = j_.at(key);
        if (raw.is_number_unsigned()) return raw.get<std::uint64_t>();
        if (raw.is_number_integer()) return static_cast<std::uint64_t>(raw.get<std::int64_t>());
        return static_cast<std::uint64_t>(std::llround(v));
    }
    std::optional<std::int64_t> opt_int(const char* key) const {
        const auto v = opt_number(key);
        if (!v) return std::nullopt;
        if (std::fabs(*v) > 9e18) throw FieldError{path_ + "/" + key, "integer out of range"};
        return static_cast<std::int64_t>(std::llround(*v));
    }
    int small_int(const char* key, int fallback) const {
        const auto v = opt_int(key);
        if (!v) return fallback;
        if (*v < 0 || *v > 1'000'000) throw FieldError{path_ + "/" + key, "out of range: " + std::to_string(*v)};
        return static_cast<int>(*v);
    }
    // iperf3 writes flags as true/false or 0/1 depending on the field and version.
    std::optional<bool> opt_flag(const char* key) const {
        if (!has(key) || j_.at(key).is_null()) return std::nullopt;
        const auto& v = j_.at(key);
        if (v.is_boolean()) return v.get<bool>();
        if (v.is_number()) return v.get<double>() != 0;
        throw FieldError{path_ + "/" + key, "expected true/false or 0/1, found " + type_name(v)};
    }
    std::string opt_string(const char* key) const {
        if (!has(key) || j_.at(key).is_null()) return {};
        const auto& v = j_.at(key);
        if (!v.is_string()) throw FieldError{path_ + "/" + key, "expected a string, found " + type_name(v)};
        return v.get<std::string>();
    }

private:
    Node require(const char* key) const {
        if (!j_.is_object()) throw FieldError{path_, "expected an object, found " + type_name(j_)};
        if (!j_.contains(key)) throw FieldError{path_ + "/" + key, "missing"};
        return Node(j_.at(key), path_ + "/" + key);
    }

    const json& j_;
    std::string path_;
};

Iperf3Flow other(Iperf3Flow f) {
    return f == Iperf3Flow::ClientToServer ? Iperf3Flow::ServerToClient : Iperf3Flow::ClientToServer;
}

// The flow a sum object describes. iperf3's "sender" means "this end sends";
// 3.6 has no such flag, and then -R decides.
struct FlowContext {
    Iperf3Role role = Iperf3Role::Unknown;
    bool reverse = false;

    Iperf3Flow of(const Node& sum, bool reverse_half) const {
        if (const auto sender = sum.opt_flag("sender")) {
            const bool client_sends = (role == Iperf3Role::Server) ? !*sender : *sender;
            return client_sends ? Iperf3Flow::ClientToServer : Iperf3Flow::ServerToClient;
        }
        const Iperf3Flow primary = reverse ? Iperf3Flow::ServerToClient : Iperf3Flow::ClientToServer;
        return reverse_half ? other(primary) : primary;
    }
};

Iperf3Sample read_sample(const Node& sum, Iperf3Flow flow) {
    Iperf3Sample s;
    s.start = sum.number("start");
    s.end = sum.number("end");
    if (s.end < s.start) throw FieldError{sum.path(), "interval ends before it starts"};
    s.bytes = sum.count("bytes");
    s.bits_per_second = sum.opt_number("bits_per_second").value_or(0);
    if (s.bits_per_second < 0) throw FieldError{sum.path() + "/bits_per_second", "negative rate"};
    s.omitted = sum.opt_flag("omitted").value_or(false);
    s.retransmits = sum.opt_int("retransmits");
    s.flow = flow;
    return s;
}

// Old versions can leave "sum" out of an interval; add the streams up.
Iperf3Sample sum_streams(const Node& streams, Iperf3Flow flow) {
    if (streams.size() == 0) throw FieldError{streams.path(), "an interval with neither \"sum\" nor any stream"};
    Iperf3Sample total = read_sample(streams[0], flow);
    for (std::size_t i = 1; i < streams.size(); ++i) {
        const auto s = read_sample(streams[i], flow);
        total.bytes += s.bytes;
        total.bits_per_second += s.bits_per_second;
        if (s.retransmits) total.retransmits = total.retransmits.value_or(0) + *s.retransmits;
    }
    return total;
}

Iperf3Totals read_totals(const Node& sum) {
    Iperf3Totals t;
    t.seconds = sum.opt_number("seconds").value_or(sum.number("end") - sum.opt_number("start").value_or(0));
    t.bytes = sum.count("bytes");
    t.bits_per_second = sum.opt_number("bits_per_second").value_or(0);
    t.retransmits = sum.opt_int("retransmits");
    return t;
}

Iperf3UdpStats read_udp(const Node& sum) {
    Iperf3UdpStats u;
    u.jitter_ms = sum.opt_number("jitter_ms");
    u.lost_packets = sum.opt_int("lost_packets");
    u.packets = sum.opt_int("packets");
    u.lost_percent = sum.opt_number("lost_percent");
    return u;
}

std::optional<Node> first_of(const Node& parent, std::initializer_list<const char*> keys) {
    for (const char* k : keys) {
        if (auto n = parent.find(k); n && n->is_object()) return n;
    }
    return std::nullopt;
}

Iperf3TestParams read_params(const Node& start, const Node& test_start) {
    Iperf3TestParams p;
    p.protocol = test_start.opt_string("protocol");
    p.num_streams = test_start.small_int("num_streams", 1);
    p.duration = test_start.small_int("duration", 0);
    p.omit = test_start.small_int("omit", 0);
    p.reverse = test_start.opt_flag("reverse").value_or(false);
    p.bidir = test_start.opt_flag("bidir").value_or(false);
    p.blksize = test_start.opt_int("blksize").value_or(0);
    if (auto r = test_start.opt_number("target_bitrate")) p.target_bitrate = static_cast<std::uint64_t>(*r);
    else if (auto r2 = start.opt_number("target_bitrate")) p.target_bitrate = static_cast<std::uint64_t>(*r2);
    return p;
}

std::vector<Iperf3Sample> read_interval(const Node& interval, const FlowContext& ctx) {
    if (!interval.is_object()) throw FieldError{interval.path(), "expected an object, found " + type_name(interval.value())};
    std::vector<Iperf3Sample> found;
    if (auto sum = first_of(interval, {"sum"})) {
        found.push_back(read_sample(*sum, ctx.of(*sum, false)));
    } else {
        const Node streams = interval.array("streams");
        if (streams.size() == 0) throw FieldError{streams.path(), "an interval with neither \"sum\" nor any stream"};
        found.push_back(sum_streams(streams, ctx.of(streams[0], false)));
    }
    // --bidir: "sum_bidir_reverse" since 3.11; a second "sum" in 3.7-3.10.
    if (auto rev = first_of(interval, {"sum_bidir_reverse", "sum#2"})) {
        found.push_back(read_sample(*rev, ctx.of(*rev, true)));
    }
    return found;
}

FlowContext context_of(const Node& start) {
    FlowContext ctx;
    if (start.has("connecting_to")) ctx.role = Iperf3Role::Client;
    else if (start.has("accepted_connection")) ctx.role = Iperf3Role::Server;
    if (auto ts = first_of(start, {"test_start"})) ctx.reverse = ts->opt_flag("reverse").value_or(false);
    return ctx;
}

void read_intervals(const Node& intervals, const FlowContext& ctx, Iperf3Result& out) {
    for (std::size_t i = 0; i < intervals.size(); ++i) {
        for (auto& s : read_interval(intervals[i], ctx)) {
            // A stalled 3.12 sender repeats its last interval before giving up.
            const Iperf3Sample* prev = nullptr;
            for (auto it = out.samples.rbegin(); it != out.samples.rend(); ++it) {
                if (it->flow == s.flow) {
                    prev = &*it;
                    break;
                }
            }
            if (prev && prev->start == s.start && prev->end == s.end && prev->bytes == s.bytes &&
                prev->omitted == s.omitted) {
                out.notes.push_back(intervals.path() + "/" + std::to_string(i) + " repeats the interval before it (" +
                                    format_seconds(s.start) + "-" + format_seconds(s.end) + "); dropped");
                continue;
            }
            out.samples.push_back(s);
        }
    }
}

void add_summary(Iperf3Result& out, const FlowContext& ctx, const std::optional<Node>& sent,
                 const std::optional<Node>& received, const std::optional<Node>& udp, bool reverse_half) {
    if (!sent && !received && !udp) return;
    Iperf3FlowSummary s;
    const Node& any = sent ? *sent : received ? *received : *udp;
    s.flow = ctx.of(any, reverse_half);
    if (sent) s.sent = read_totals(*sent);
    if (received) s.received = read_totals(*received);
    if (udp) {
        s.udp = read_udp(*udp);
        if (!s.sent) s.sent = read_totals(*udp);  // old UDP output: "sum" is the sender's count
    }
    // A 3.12 server reports only its own end; the other end's count reads 0.
    if (ctx.role == Iperf3Role::Server) {
        auto& remote = s.flow == Iperf3Flow::ClientToServer ? s.sent : s.received;
        if (remote && remote->bytes == 0) {
            remote.reset();
            out.notes.push_back(std::string("the server's output has no count from the client's end for ") +
                                to_string(s.flow));
        }
    }
    out.summaries.push_back(s);
}

void read_end(const Node& end, const FlowContext& ctx, const Iperf3TestParams* params, Iperf3Result& out) {
    const bool udp = params && params->protocol == "UDP";
    add_summary(out, ctx, first_of(end, {"sum_sent"}), first_of(end, {"sum_received"}),
                udp ? first_of(end, {"sum"}) : std::nullopt, false);
    add_summary(out, ctx, first_of(end, {"sum_sent_bidir_reverse", "sum_sent#2"}),
                first_of(end, {"sum_received_bidir_reverse", "sum_received#2"}),
                udp ? first_of(end, {"sum_bidir_reverse", "sum#2"}) : std::nullopt, true);
}

}  // namespace

Result<Iperf3Result, Iperf3ParseError> interpret_iperf3_document(const json& document, const std::string& source) {
    Iperf3Result out;
    try {
        const Node root(document, "");
        if (!root.is_object()) throw FieldError{"/", "expected the iperf3 object, found " + type_name(document)};
        out.error = root.opt_string("error");
        if (!root.has("start") && !root.has("intervals") && !root.has("end"))
            throw FieldError{"/", "not iperf3 output: none of \"start\", \"intervals\", \"end\""};
        const Node start = root.object("start");
        out.version = start.opt_string("version");
        out.system_info = start.opt_string("system_info");
        FlowContext ctx = context_of(start);
        out.role = ctx.role;
        if (auto connected = start.find("connected"); connected && connected->value().is_array() && connected->size() > 0) {
            const Node first = (*connected)[0];
            out.local_host = first.opt_string("local_host");
            out.remote_host = first.opt_string("remote_host");
        }
        if (auto ts = first_of(start, {"test_start"})) {
            out.params = read_params(start, *ts);
        } else if (out.error.empty()) {
            throw FieldError{"/start/test_start", "missing, and no \"error\" says why"};
        }
        if (root.has("intervals")) read_intervals(root.array("intervals"), ctx, out);
        else if (out.error.empty()) throw FieldError{"/intervals", "missing, and no \"error\" says why"};
        if (root.has("end")) read_end(root.object("end"), ctx, out.params ? &*out.params : nullptr, out);
        else if (out.error.empty()) throw FieldError{"/end", "missing, and no \"error\" says why"};
        if (out.params && !out.params->bidir && out.summaries.size() > 1) out.params->bidir = true;
        if (out.params && !out.params->bidir) {
            const auto flows = out.flows();
            if (flows.size() > 1) out.params->bidir = true;
        }
    } catch (const FieldError& e) {
        return fail(Iperf3ParseError{source, e.path, e.message});
    } catch (const nlohmann::json::exception& e) {
        // A shape the checks above did not foresee: still an error, never a crash.
        return fail(Iperf3ParseError{source, "/", std::string("unexpected document shape: ") + e.what()});
    }
    return out;
}

Result<std::vector<Iperf3Sample>, Iperf3ParseError> interpret_iperf3_interval(const json& interval,
                                                                              const json& start,
                                                                              const std::string& source,
                                                                              const std::string& path) {
    try {
        static const json empty = json::object();
        const Node start_node(start.is_object() ? start : empty, "/start");
        return read_interval(Node(interval, path), context_of(start_node));
    } catch (const FieldError& e) {
        return fail(Iperf3ParseError{source, e.path, e.message});
    } catch (const nlohmann::json::exception& e) {
        return fail(Iperf3ParseError{source, path, std::string("unexpected interval shape: ") + e.what()});
    }
}

Result<Iperf3Result, Iperf3ParseError> parse_iperf3_json(std::string_view text, const std::string& source) {
    auto doc = read_iperf3_json_text(text, source);
    if (!doc) return fail(doc.error());
    auto result = interpret_iperf3_document(doc->document, source);
    if (!result) return result;
    result->trailing_text = doc->trailing_text;
    auto notes = std::move(doc->notes);
    if (!doc->leading_text.empty()) notes.push_back("text before the JSON: " + printable(doc->leading_text, 120));
    if (!doc->trailing_text.empty()) notes.push_back("text after the JSON: " + printable(doc->trailing_text, 120));
    for (auto& n : result->notes) notes.push_back(std::move(n));
    result->notes = std::move(notes);
    return result;
}

Result<Iperf3Result, Iperf3ParseError> parse_iperf3_json_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(Iperf3ParseError{path.string(), "file", "cannot be read"});
    std::ostringstream buf;
    buf << in.rdbuf();
    return parse_iperf3_json(buf.str(), path.string());
}

}  // namespace besrig
