// Quiet, honest output (STYLE §8): results to stdout, diagnostics to stderr;
// a live status line only on a terminal, plain timestamped lines otherwise.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace besrig {

class Console {
public:
    // Detects a smart terminal on stderr (isatty, TERM != dumb) and NO_COLOR.
    Console();
    Console(bool smart, bool color) : smart_(smart), color_(color) {}

    bool smart() const { return smart_; }
    bool color() const { return color_; }

    // A result line on stdout.
    void result(std::string_view line);
    // A diagnostic line on stderr ("besrig: " prefix not added).
    void info(std::string_view line);
    void warn(std::string_view line);
    // A progress line: overwritten in place on a terminal, timestamped and
    // printed (at most every `min_interval` seconds) otherwise.
    void status(std::string_view line);
    // Ends a pending status line so the next output starts on a fresh line.
    void clear_status();

    std::string bold(std::string_view s) const;
    std::string red(std::string_view s) const;
    std::string green(std::string_view s) const;
    std::string yellow(std::string_view s) const;

private:
    std::string paint(std::string_view code, std::string_view s) const;
    bool smart_ = false;
    bool color_ = false;
    bool status_pending_ = false;
    double last_plain_status_ = -1e9;
};

// "2026-11-25 21:58:03" in UTC.
std::string utc_timestamp();
// Seconds since the epoch, with sub-second precision.
double unix_now();

}  // namespace besrig
