// Strips what sits in front of a kernel message in plain text logs: syslog
// "<N>", journalctl "Nov 25 20:18:10 host kernel: ", "[ 12.345678]" and the
// caller id "[ T123]" / "[C1]". Pure functions on string_views: no allocation.
#pragma once

#include <optional>
#include <string_view>

namespace besrig::kmsg {

struct TextPrefix {
    int level = -1;
    int facility = -1;
    std::optional<double> time_s;   // from "[ 12.345678]"
    std::optional<double> wall_s;   // from a journal prefix: seconds into the year (year unknown)
    std::string_view caller;        // "T123" / "C1"
    std::string_view message;       // what is left
    std::optional<unsigned long long> dropped;  // "** N printk messages dropped **"
};

TextPrefix parse_text_prefix(std::string_view line);

}  // namespace besrig::kmsg
