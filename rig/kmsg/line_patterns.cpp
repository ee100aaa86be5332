#include "rig/kmsg/line_patterns.hpp"

#include <algorithm>
#include <cstring>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig::kmsg {
namespace {


bool contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

bool contains_any(std::string_view s, std::initializer_list<std::string_view> ps) {
    for (auto p : ps)
        if (contains(s, p)) return true;
    return false;
}

}  // namespace

int LiteralSet::add(std::string literal) {
    if (literal.size() < 2 || literals_.size() >= 64) return -1;
    literals_.push_back(std::move(literal));
    build();
    return static_cast<int>(literals_.size() - 1);
}

namespace {

// The window's last three bytes, hashed to 12 bits: the shift table stays
// in L1 cache (4 KiB). Collisions only make jumps shorter, never skip a match.
constexpr unsigned k_table_bits = 12;
unsigned key3(unsigned char a, unsigned char b, unsigned char c) {
    return ((static_cast<unsigned>(a) << 6) ^ (static_cast<unsigned>(b) << 3) ^ c) & ((1u << k_table_bits) - 1);
}

std::uint32_t head4(const unsigned char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

}  // namespace

void LiteralSet::build() {
    window_ = literals_.front().size();
    for (const auto& l : literals_) window_ = std::min(window_, l.size());
    // Windows of 2 bytes fall back to pairs (k3 of a zero byte and the pair).
    const std::size_t b = window_ >= 3 ? 3 : 2;
    const auto longest_jump = static_cast<std::uint8_t>(std::min<std::size_t>(window_ - b + 1, 255));
    shift_.assign(1u << k_table_bits, longest_jump);
    ends_.clear();
    for (std::size_t idx = 0; idx < literals_.size(); ++idx) {
        const auto& l = literals_[idx];
        auto byte = [&](std::size_t i) { return static_cast<unsigned char>(l[i]); };
        for (std::size_t j = b - 1; j < window_; ++j) {
            const unsigned k = key3(b == 3 ? byte(j - 2) : 0, byte(j - 1), byte(j));
            const auto jump = static_cast<std::uint8_t>(std::min<std::size_t>(window_ - 1 - j, 255));
            shift_[k] = std::min(shift_[k], jump);
            if (jump == 0) {
                End e{k, static_cast<int>(idx), 0};
                if (l.size() >= 4) e.head = head4(reinterpret_cast<const unsigned char*>(l.data()));
                ends_.push_back(e);
            }
        }
    }
    three_ = b == 3;
}

// A window whose last bytes end some literal's window: compare for real.
std::uint64_t LiteralSet::verify(const unsigned char* p, std::size_t n, std::size_t start, unsigned key) const {
    std::uint64_t found = 0;
    for (const auto& e : ends_) {
        if (e.key != key) continue;
        const auto& lit = literals_[static_cast<std::size_t>(e.index)];
        if (lit.size() > n - start) continue;
        if (lit.size() >= 4 && head4(p + start) != e.head) continue;
        if (std::memcmp(p + start, lit.data(), lit.size()) == 0) found |= 1ULL << e.index;
    }
    return found;
}

// The hot loop of triage (every line of every log): the hash width is a
// template parameter so the loop body has no branch but the jump.
template <bool Three>
std::uint64_t LiteralSet::scan(std::string_view s) const {
    std::uint64_t found = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    const std::uint8_t* shift = shift_.data();
    for (std::size_t pos = window_ - 1; pos < n;) {
        const unsigned k = key3(Three ? p[pos - 2] : 0, p[pos - 1], p[pos]);
        if (const std::uint8_t jump = shift[k]) {
            pos += jump;
            continue;
        }
        found |= verify(p, n, pos + 1 - window_, k);
        ++pos;
    }
    return found;
}

std::uint64_t LiteralSet::match(std::string_view s) const {
    if (literals_.empty() || s.size() < window_) return 0;
    return three_ ? scan<true>(s) : scan<false>(s);
}

std::string regex_literal(std::string_view re) {
    // Only characters outside groups and classes are certainly required;
    // any alternation makes nothing certain.
    if (re.find('|') != std::string_view::npos) return {};
    std::string best, cur;
    int depth = 0;
    auto flush = [&] {
        if (cur.size() > best.size()) best = cur;
        cur.clear();
    };
    for (std::size_t i = 0; i < re.size(); ++i) {
        const char c = re[i];
        if (c == '\\') {
            // An escaped punctuation character is literal; \d, \s ... are not.
            if (i + 1 < re.size() && std::strchr(".[](){}*+?^$\\/-: ", re[i + 1]) && re[i + 1] != '\0') {
                if (depth == 0) cur.push_back(re[i + 1]);
            } else {
                flush();
            }
            ++i;
            continue;
        }
        if (c == '[') {
            flush();
            while (i < re.size() && re[i] != ']') i += (re[i] == '\\') ? std::size_t{2} : std::size_t{1};
            continue;
        }
        if (c == '(' || c == ')') {
            flush();
            depth += c == '(' ? 1 : -1;
            continue;
        }
        if (c != '\0' && std::strchr(".{}*+?^$", c)) {
            // A quantifier makes the previous character optional: drop it.
            if ((c == '*' || c == '?' || c == '{') && !cur.empty()) cur.pop_back();
            flush();
            if (c == '{') {
                while (i < re.size() && re[i] != '}') ++i;
            }
            continue;
        }
        if (depth == 0) cur.push_back(c);
    }
    flush();
    return best.size() >= 3 ? best : std::string{};
}

LinePatterns::LinePatterns(const std::vector<LogPattern>& extra) {
    bit_link_break_ = literals_.add("link break between lmac and host");
    bit_pm_ind_ = literals_.add("wait pm ind timeout");
    bit_sdio_read_ = literals_.add("sdio read error");
    // wsm confirm timeouts: "timeout" is the rarer word; "wsm" is checked after.
    bit_timeout_ = literals_.add("timeout");
    bit_timed_out_ = literals_.add("timed out");
    bit_bes_ = literals_.add("bes2600");
    for (int b : {bit_link_break_, bit_pm_ind_, bit_sdio_read_, bit_timeout_, bit_timed_out_, bit_bes_})
        driver_bits_ |= 1ULL << b;
    for (std::size_t i = 0; i < extra.size(); ++i) {
        const auto& p = extra[i];
        Extra e{p, {}, -1};
        try {
            e.re = std::regex(p.regex, std::regex::ECMAScript | std::regex::optimize);
        } catch (const std::regex_error& err) {
            throw_config("kernel_log.extra_patterns[" + std::to_string(i) + "] (" + printable(p.name) +
                         "): regex " + printable(p.regex) + " does not compile: " + err.what());
        }
        if (auto lit = regex_literal(p.regex); !lit.empty()) e.literal_bit = literals_.add(lit);
        extra_.push_back(std::move(e));
    }
}

std::optional<LineMatch> LinePatterns::match(std::string_view msg) const {
    const std::uint64_t hits = literals_.match(msg);
    auto hit = [&](int bit) { return bit >= 0 && (hits & (1ULL << bit)); };
    if (hits & driver_bits_) {
        if (hit(bit_link_break_)) return LineMatch{"BES2600", "bes2600: link break between lmac and host", "fail"};
        if (hit(bit_sdio_read_)) return LineMatch{"BES2600", "bes2600: sdio read error", "fail"};
        if (hit(bit_pm_ind_)) return LineMatch{"BES2600", "bes2600: wait pm ind timeout", "warn"};
        // Call-trace frames name wsm_* functions all the time; only a message counts.
        const bool frame = contains(msg, "+0x");
        if ((hit(bit_timeout_) || hit(bit_timed_out_)) && !frame && contains(msg, "wsm"))
            return LineMatch{"BES2600", "bes2600: wsm confirm timeout", "fail"};
        if (hit(bit_bes_) && !frame) {
            if (contains_any(msg, {"firmware", "Firmware", "fw "}) && contains_any(msg, {"fail", "error", "Error", "timeout", "invalid"}))
                return LineMatch{"BES2600", "bes2600: firmware error", "fail"};
            if (contains(msg, "factory") && contains_any(msg, {"fail", "error", "invalid", "crc"}))
                return LineMatch{"BES2600", "bes2600: factory data error", "warn"};
        }
    }
    for (const auto& e : extra_) {
        if (e.literal_bit >= 0 && !hit(e.literal_bit)) continue;
        if (std::regex_search(msg.begin(), msg.end(), e.re))
            return LineMatch{"PATTERN", e.pattern.name, e.pattern.severity};
    }
    return std::nullopt;
}

}  // namespace besrig::kmsg
