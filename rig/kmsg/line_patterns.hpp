// One-line reports found anywhere in a line: the bes2600 driver's own error
// signatures and the config's kernel_log.extra_patterns.
//
// Every line is scanned once by a LiteralSet (a bitmap of the first two bytes
// of every literal, then memcmp on a hit); only lines that contain a required
// literal reach the more expensive checks, and std::regex runs only on lines
// that contain its pattern's literal (or on every line, for a pattern without
// one: slow, and said so in the docs).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace besrig::kmsg {

// Up to 64 literals; match() returns a bitmask of those found in a string.
//
// With SSE2 (every x86-64), up to 16 literals and a line of at least one
// block: each literal is looked for by its two rarest bytes (guessed from
// kernel log text) among its first `window_`, 16 window starts per compare,
// all literals per block (probe_scan); a block where some literal's two bytes
// sit right is compared in full. Otherwise a Wu-Manber scan: a window as long
// as the shortest literal slides along the text and jumps by the shift its
// last three bytes allow. Both find exactly the literals that occur (a unit
// test checks them against plain search).
class LiteralSet {
public:
    // Returns the literal's bit index; literals shorter than 2 bytes are refused (-1).
    int add(std::string literal);
    std::uint64_t match(std::string_view s) const;
    bool empty() const { return literals_.empty(); }

private:
    void build();
    template <bool Three>
    std::uint64_t scan(std::string_view s) const;  // match() with the hash width fixed at compile time
    std::uint64_t verify(const unsigned char* p, std::size_t n, std::size_t start, unsigned key) const;
    std::vector<std::string> literals_;
    std::size_t window_ = 0;                          // length of the shortest literal
    std::vector<std::uint8_t> shift_;                 // by byte pair: how far the window may jump
    struct End {
        unsigned key;        // hash of the last bytes of a literal's window
        int index;           // which literal
        std::uint32_t head;  // its first four bytes, a cheap check before memcmp
    };
    std::vector<End> ends_;
    bool three_ = true;  // hashing three bytes (false when a literal is only 2 long)

    // probe_scan: per literal, two bytes (repeated 16 times for the compare) and where they sit in it.
    struct Probe {
        std::array<unsigned char, 16> a{}, b{};
        std::size_t off_a = 0, off_b = 0;
        int index = 0;
    };
    void build_probes();
    std::uint64_t probe_scan(std::string_view s) const;
    std::vector<Probe> probes_;  // empty: Wu-Manber only
    std::size_t probe_reach_ = 0;  // bytes one block reads from its start; shorter lines take Wu-Manber
};

struct LineMatch {
    std::string_view klass;   // "BES2600" | "PATTERN"
    std::string title;
    std::string_view severity;
};

class LinePatterns {
public:
    // Throws besrig::Error (Config) naming kernel_log.extra_patterns[i] for a bad regex.
    explicit LinePatterns(const std::vector<LogPattern>& extra);
    std::optional<LineMatch> match(std::string_view msg) const;

private:
    struct Extra {
        LogPattern pattern;
        std::regex re;
        int literal_bit = -1;  // -1: no usable literal, the regex runs on every line
    };
    LiteralSet literals_;
    std::uint64_t driver_bits_ = 0;
    int bit_link_break_ = -1, bit_pm_ind_ = -1, bit_sdio_read_ = -1, bit_timeout_ = -1, bit_timed_out_ = -1, bit_bes_ = -1;
    std::vector<Extra> extra_;
};

// The longest run of literal characters in a regex (for the prefilter); empty if none of length >= 3.
std::string regex_literal(std::string_view re);

}  // namespace besrig::kmsg
