#include "reports/render/format.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "util/strings.hpp"

namespace besrig::report {

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);  // no "-0.00"
    return s;
}

std::string mbytes(std::optional<double> v, int decimals) { return v ? fixed(*v, decimals) : k_not_measured; }

std::string pct(double percent) {
    std::string s = fixed(percent, 1);
    if (s[0] != '-') s = "+" + s;
    return s + " %";
}

std::string pct_from_ratio(double ratio) { return pct((ratio - 1) * 100); }

namespace {
std::string signed1(double percent) {
    std::string s = fixed(percent, 1);
    return s[0] == '-' ? s : "+" + s;
}
}  // namespace

std::string pct_interval(std::optional<double> lo, std::optional<double> hi) {
    if (!lo || !hi) return k_not_measured;
    return signed1(*lo) + ".." + signed1(*hi) + " %";
}

std::string ratio_interval(std::optional<double> lo, std::optional<double> hi) {
    if (!lo || !hi) return k_not_measured;
    return pct_interval((*lo - 1) * 100, (*hi - 1) * 100);
}

namespace {
std::tm utc_tm(double t) {
    const auto secs = static_cast<std::time_t>(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    return tm;
}
}  // namespace

std::string utc_minute(double t) {
    const auto tm = utc_tm(t);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

std::string utc_date(double t) {
    const auto tm = utc_tm(t);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

std::string duration(double seconds) {
    const auto s = static_cast<long long>(std::llround(seconds));
    char buf[64];
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%lld s", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%lld min %02lld s", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lld h %02lld min", s / 3600, (s % 3600) / 60);
    return buf;
}

std::string offset(double seconds, bool whole) {
    std::string s = whole ? std::to_string(std::llround(seconds)) : fixed(seconds, 1);
    return (seconds < 0 ? "" : "+") + s + " s";
}

std::string short_sha(const std::string& sha256) {
    if (sha256.empty()) return k_not_measured;
    return sha256.substr(0, 12);
}

std::string size(std::int64_t bytes) { return format_bytes(static_cast<std::uint64_t>(std::max<std::int64_t>(bytes, 0))); }

const nlohmann::json* node_at(const nlohmann::json& j, std::string_view pointer) {
    const nlohmann::json* cur = &j;
    for (const auto& key : split(pointer.substr(pointer.empty() ? 0 : 1), '/')) {
        if (key.empty()) continue;
        if (cur->is_object()) {
            const auto it = cur->find(key);
            if (it == cur->end()) return nullptr;
            cur = &*it;
        } else if (cur->is_array()) {
            const auto idx = parse_int(key);
            if (!idx || *idx < 0 || static_cast<std::size_t>(*idx) >= cur->size()) return nullptr;
            cur = &(*cur)[static_cast<std::size_t>(*idx)];
        } else {
            return nullptr;
        }
    }
    return cur;
}

std::optional<double> number_at(const nlohmann::json& j, std::string_view pointer) {
    const auto* n = node_at(j, pointer);
    if (!n || !n->is_number()) return std::nullopt;
    return n->get<double>();
}

std::optional<std::string> string_at(const nlohmann::json& j, std::string_view pointer) {
    const auto* n = node_at(j, pointer);
    if (!n || !n->is_string()) return std::nullopt;
    return n->get<std::string>();
}

std::string storm_line(double offset_s, std::int64_t count, const std::string& title, const std::string& module) {
    const std::string kind = title.rfind("WARNING", 0) == 0 ? "WARN" : split(title, ' ').front();
    std::string s = kind + " storm at " + offset(offset_s, true) + ": " + std::to_string(count) + " × " + title;
    if (!module.empty()) s += " [" + module + "]";
    return s;
}

}  // namespace besrig::report

namespace besrig::report {
std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default:
                if (static_cast<unsigned char>(ch) < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') break;
                out += ch;
        }
    }
    return out;
}
}  // namespace besrig::report
