#include "rig/iperf3/result_json.hpp"

namespace besrig {
namespace {

using nlohmann::json;

template <typename T>
json opt(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}

json totals(const std::optional<Iperf3Totals>& t) {
    if (!t) return nullptr;
    return {{"seconds", t->seconds},         {"bytes", t->bytes},
            {"bits_per_second", t->bits_per_second}, {"mbytes_per_second", t->mbytes_per_second()},
            {"retransmits", opt(t->retransmits)}};
}

std::string role_name(Iperf3Role r) {
    return r == Iperf3Role::Client ? "client" : r == Iperf3Role::Server ? "server" : "unknown";
}

}  // namespace

json to_json(const Iperf3Sample& s) {
    return {{"start", s.start},
            {"end", s.end},
            {"flow", to_string(s.flow)},
            {"bytes", s.bytes},
            {"bits_per_second", s.bits_per_second},
            {"mbytes_per_second", s.mbytes_per_second()},
            {"omitted", s.omitted},
            {"retransmits", opt(s.retransmits)}};
}

json to_json(const Iperf3Result& r) {
    json out;
    out["version"] = r.version.empty() ? json(nullptr) : json(r.version);
    out["role"] = role_name(r.role);
    out["system_info"] = r.system_info;
    out["local_host"] = r.local_host;
    out["remote_host"] = r.remote_host;
    if (r.params) {
        const auto& p = *r.params;
        out["params"] = {{"protocol", p.protocol}, {"num_streams", p.num_streams}, {"duration", p.duration},
                         {"omit", p.omit},         {"reverse", p.reverse},         {"bidir", p.bidir},
                         {"blksize", p.blksize},   {"target_bitrate", opt(p.target_bitrate)}};
    } else {
        out["params"] = nullptr;
    }
    out["samples"] = json::array();
    for (const auto& s : r.samples) out["samples"].push_back(to_json(s));
    out["summaries"] = json::array();
    for (const auto& s : r.summaries) {
        json j = {{"flow", to_string(s.flow)}, {"sent", totals(s.sent)}, {"received", totals(s.received)}};
        if (s.udp) {
            j["udp"] = {{"jitter_ms", opt(s.udp->jitter_ms)}, {"lost_packets", opt(s.udp->lost_packets)},
                        {"packets", opt(s.udp->packets)}, {"lost_percent", opt(s.udp->lost_percent)}};
        }
        out["summaries"].push_back(j);
    }
    out["error"] = r.error.empty() ? json(nullptr) : json(r.error);
    out["notes"] = r.notes;
    return out;
}

}  // namespace besrig
