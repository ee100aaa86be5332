#include "rig/iperf3/version.hpp"

#include <cctype>

#include "util/strings.hpp"

namespace besrig {

std::optional<Iperf3Version> parse_iperf3_version(std::string_view text) {
    std::size_t at = 0;
    while ((at = text.find("iperf ", at)) != std::string_view::npos) {
        std::size_t i = at + 6;
        std::size_t j = i;
        while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) != 0 || text[j] == '.')) ++j;
        const auto parts = split(text.substr(i, j - i), '.');
        if (parts.size() >= 2) {
            const auto maj = parse_int(parts[0]);
            const auto min = parse_int(parts[1]);
            const auto pat = parts.size() > 2 ? parse_int(parts[2]) : std::optional<long long>(0);
            if (maj && min && pat && *maj == 3 && *min >= 0 && *min < 1000 && *pat >= 0 && *pat < 1000) {
                Iperf3Version v;
                v.major = 3;
                v.minor = static_cast<int>(*min);
                v.patch = static_cast<int>(*pat);
                while (j < text.size() && text[j] == '+') ++j;  // "3.9+": a build from git
                v.text = std::string(text.substr(at, j - at));
                return v;
            }
        }
        at = i;
    }
    return std::nullopt;
}

}  // namespace besrig
