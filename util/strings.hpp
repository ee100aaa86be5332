// Small string helpers used across layers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace besrig {

std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
std::vector<std::string> split_lines(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
bool ends_with(std::string_view s, std::string_view suffix);

// Parses a whole string as a base-10 integer; nullopt on any junk or overflow.
std::optional<long long> parse_int(std::string_view s);
// Parses a whole string as a finite double; nullopt on junk.
std::optional<double> parse_double(std::string_view s);

// Edit distance, for did-you-mean hints.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate nearest to `word`, if it is close enough to be a plausible typo.
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// Quotes one argument for a POSIX shell so it is taken literally, whatever it holds.
std::string shell_quote(std::string_view arg);
// Joins argv into a command line with every argument quoted.
std::string shell_join(const std::vector<std::string>& argv);

// Renders text for a message: printable ASCII kept, everything else escaped,
// cut to `max` characters so board garbage cannot flood a terminal.
std::string printable(std::string_view s, std::size_t max = 200);

std::string format_bytes(std::uint64_t bytes);
std::string format_seconds(double seconds);

}  // namespace besrig
