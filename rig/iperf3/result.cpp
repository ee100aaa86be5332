#include "rig/iperf3/result.hpp"

#include <algorithm>

namespace besrig {

std::string to_string(Iperf3Flow flow) {
    return flow == Iperf3Flow::ClientToServer ? "client->server" : "server->client";
}

const Iperf3FlowSummary* Iperf3Result::summary(Iperf3Flow flow) const {
    for (const auto& s : summaries) {
        if (s.flow == flow) return &s;
    }
    return nullptr;
}

std::vector<Iperf3Sample> Iperf3Result::samples_of(Iperf3Flow flow, bool include_omitted) const {
    std::vector<Iperf3Sample> out;
    for (const auto& s : samples) {
        if (s.flow == flow && (include_omitted || !s.omitted)) out.push_back(s);
    }
    return out;
}

std::vector<Iperf3Flow> Iperf3Result::flows() const {
    std::vector<Iperf3Flow> out;
    auto note = [&](Iperf3Flow f) {
        if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    };
    for (const auto& s : samples) note(s.flow);
    for (const auto& s : summaries) note(s.flow);
    return out;
}

std::string Iperf3ParseError::describe() const {
    std::string out = source;
    if (!where.empty()) out += ": " + where;
    return out + ": " + message;
}

}  // namespace besrig
