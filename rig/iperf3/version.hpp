// iperf3's version, from `iperf3 --version` ("iperf 3.12 (cJSON 1.7.15)") or a
// JSON "start.version" ("iperf 3.9+"). Both ends' versions are recorded with
// every run: `-P` streams became threads in 3.16, so throughput across that
// boundary is not comparable, and `--json-stream` exists only from 3.17.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace besrig {

struct Iperf3Version {
    int major = 0;
    int minor = 0;
    int patch = 0;
    std::string text;  // as printed, e.g. "iperf 3.12"

    bool at_least(int maj, int min) const { return major > maj || (major == maj && minor >= min); }
    bool has_json_stream() const { return at_least(3, 17); }
    bool threaded_streams() const { return at_least(3, 16); }
};

// nullopt when the text holds no "iperf 3.x" (iperf 2 prints "iperf version 2...").
std::optional<Iperf3Version> parse_iperf3_version(std::string_view text);

}  // namespace besrig
