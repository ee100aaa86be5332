// Small formatting rules every report shares, so the Markdown comment, the
// HTML page and `besrig show` say the same thing the same way: what was not
// measured reads "not measured" (never 0), throughput has two decimals in
// MB/s (10^6 bytes), deltas are signed percentages, times are UTC.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace besrig::report {

inline constexpr const char* k_not_measured = "not measured";

// "1.40" or "not measured".
std::string mbytes(std::optional<double> v, int decimals = 2);
// A ratio 0.996 as "-0.4 %".
std::string pct_from_ratio(double ratio);
// A percentage -0.4 as "-0.4 %".
std::string pct(double percent);
// "-1.8..+1.0 %" from ratios, or from percentages.
std::string ratio_interval(std::optional<double> lo, std::optional<double> hi);
std::string pct_interval(std::optional<double> lo, std::optional<double> hi);
// "2026-05-08 09:40 UTC".
std::string utc_minute(double unix_time);
// "2026-05-08".
std::string utc_date(double unix_time);
// "9 min 45 s", "42 s", "1 h 03 min".
std::string duration(double seconds);
// "+13 s" (whole seconds) or "+13.2 s" (one decimal).
std::string offset(double seconds, bool whole = false);
// First 12 hex digits of a sha256, or "not measured".
std::string short_sha(const std::string& sha256);
// "47.1 KiB" from a byte count.
std::string size(std::int64_t bytes);
// A fixed number with `decimals` digits.
std::string fixed(double v, int decimals);

// Optional typed reads from details_json by JSON pointer ("/comparison/pooled/ratio").
std::optional<double> number_at(const nlohmann::json& j, std::string_view pointer);
std::optional<std::string> string_at(const nlohmann::json& j, std::string_view pointer);
const nlohmann::json* node_at(const nlohmann::json& j, std::string_view pointer);

// "WARN storm at +13 s: 212 × WARNING in wsm_release_tx_buffer [bes2600]".
std::string storm_line(double offset_s, std::int64_t count, const std::string& title, const std::string& module);

}  // namespace besrig::report

namespace besrig::report {
// Escapes &, <, >, " and ' for XML/HTML text and attribute values; drops
// control characters XML 1.0 cannot carry.
std::string xml_escape(std::string_view s);
}  // namespace besrig::report
