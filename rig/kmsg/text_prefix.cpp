#include "rig/kmsg/text_prefix.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace besrig::kmsg {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses "[ <digits>.<digits>]" at s; returns characters consumed or 0.
std::size_t bracket_time(std::string_view s, double& out) {
    if (s.empty() || s[0] != '[') return 0;
    std::size_t i = 1;
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t int_start = i;
    // Integer arithmetic, one division at the end (this runs on every line).
    std::uint64_t whole = 0;
    while (i < s.size() && is_digit(s[i]) && i - int_start < 12) whole = whole * 10 + static_cast<unsigned>(s[i++] - '0');
    if (i == int_start || i >= s.size() || s[i] != '.') return 0;
    ++i;
    static constexpr std::array<double, 10> pow10{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    std::uint64_t frac = 0;
    const std::size_t frac_start = i;
    while (i < s.size() && is_digit(s[i]) && i - frac_start < 9) frac = frac * 10 + static_cast<unsigned>(s[i++] - '0');
    if (i == frac_start || i >= s.size() || s[i] != ']') return 0;
    out = static_cast<double>(whole) + static_cast<double>(frac) / pow10[i - frac_start];
    return i + 1;
}

// Parses "[ T123]" / "[C1]"; returns characters consumed or 0.
std::size_t bracket_caller(std::string_view s, std::string_view& caller) {
    if (s.size() < 4 || s[0] != '[') return 0;
    std::size_t i = 1;
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size() || (s[i] != 'T' && s[i] != 'C')) return 0;
    const std::size_t start = i++;
    const std::size_t digits = i;
    while (i < s.size() && is_digit(s[i]) && i - digits < 10) ++i;
    if (i == digits || i >= s.size() || s[i] != ']') return 0;
    caller = s.substr(start, i - start);
    return i + 1;
}

int month_index(std::string_view m) {
    static constexpr std::array<const char*, 12> names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (std::size_t i = 0; i < names.size(); ++i)
        if (m == names[i]) return static_cast<int>(i);
    return -1;
}

// "Nov 25 20:18:10 ohm kernel: " -> consumed length, seconds into the year.
std::size_t journal_prefix(std::string_view s, double& wall) {
    if (s.size() < 24) return 0;
    const int month = month_index(s.substr(0, 3));
    if (month < 0 || s[3] != ' ') return 0;
    std::size_t i = 4;
    if (s[i] == ' ') ++i;
    int day = 0;
    while (i < s.size() && is_digit(s[i]) && day < 100) day = day * 10 + (s[i++] - '0');
    if (i + 10 > s.size() || s[i] != ' ') return 0;
    ++i;
    const std::string_view hms = s.substr(i, 8);
    if (!(is_digit(hms[0]) && is_digit(hms[1]) && hms[2] == ':' && is_digit(hms[3]) && is_digit(hms[4]) &&
          hms[5] == ':' && is_digit(hms[6]) && is_digit(hms[7])))
        return 0;
    i += 8;
    if (i >= s.size() || s[i] != ' ') return 0;
    const std::size_t host_end = s.find(' ', i + 1);
    if (host_end == std::string_view::npos) return 0;
    constexpr std::string_view kernel = "kernel:";
    if (s.substr(host_end + 1, kernel.size()) != kernel) return 0;
    std::size_t end = host_end + 1 + kernel.size();
    if (end < s.size() && s[end] == ' ') ++end;
    static constexpr std::array<int, 12> days_before{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    const int h = (hms[0] - '0') * 10 + (hms[1] - '0');
    const int m = (hms[3] - '0') * 10 + (hms[4] - '0');
    const int sec = (hms[6] - '0') * 10 + (hms[7] - '0');
    wall = ((days_before[static_cast<std::size_t>(month)] + day - 1) * 86400.0) + h * 3600.0 + m * 60.0 + sec;
    return end;
}

}  // namespace

TextPrefix parse_text_prefix(std::string_view s) {
    TextPrefix p;
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    // "** 12 printk messages dropped ** " can be glued in front of a line.
    if (s.size() > 3 && s[0] == '*' && s[1] == '*' && s[2] == ' ' && is_digit(s[3])) {
        std::size_t i = 3;
        unsigned long long n = 0;
        while (i < s.size() && is_digit(s[i]) && n < (1ULL << 50)) n = n * 10 + static_cast<unsigned>(s[i++] - '0');
        constexpr std::string_view tail = " printk messages dropped **";
        if (s.substr(i, tail.size()) == tail) {
            p.dropped = n;
            s.remove_prefix(i + tail.size());
            if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
        }
    }
    double wall = 0;
    if (s.size() > 4 && s[0] >= 'A' && s[0] <= 'S' && s[3] == ' ')
        if (std::size_t n = journal_prefix(s, wall)) {
            p.wall_s = wall;
            s.remove_prefix(n);
        }
    if (s.size() >= 3 && s[0] == '<' && is_digit(s[1])) {
        std::size_t i = 1;
        int v = 0;
        while (i < s.size() && is_digit(s[i]) && v < 1024) v = v * 10 + (s[i++] - '0');
        if (i < s.size() && s[i] == '>') {
            p.level = v & 7;
            p.facility = v >> 3;
            s.remove_prefix(i + 1);
        }
    }
    double t = 0;
    if (std::size_t n = bracket_time(s, t)) {
        p.time_s = t;
        s.remove_prefix(n);
        if (!s.empty() && s[0] == ' ' && s.size() > 1 && s[1] == '[') s.remove_prefix(1);  // dmesg: "] [ T1]"
        if (std::size_t c = bracket_caller(s, p.caller)) s.remove_prefix(c);
        if (!s.empty() && s[0] == ' ') s.remove_prefix(1);  // the one separator space
    }
    p.message = s;
    return p;
}

}  // namespace besrig::kmsg
