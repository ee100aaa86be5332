#include "rig/kmsg/line_patterns.hpp"

#include <algorithm>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

constexpr std::size_t k_probe_max_literals = 16;

// How often a byte shows up in kernel log text, roughly (higher: more often).
// probe_scan looks for a literal's two rarest bytes; a poor guess costs speed only.
int commonness(unsigned char c) {
    if (c == ' ') return 100;
    if (c >= '0' && c <= '9') return 70;
    if (c >= 'a' && c <= 'z') {
        static constexpr std::string_view by_rank = "etaoinsrlhdcumfpgwybvkxjqz";
        return 90 - 3 * static_cast<int>(by_rank.find(static_cast<char>(c)));
    }
    if (c >= 'A' && c <= 'Z') return 20;
    if (c == ':' || c == '.' || c == '[' || c == ']' || c == '_' || c == '-' || c == '=' || c == ',' || c == '/')
        return 50;
    return 5;
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
    build_probes();
}

void LiteralSet::build_probes() {
    probes_.clear();
    probe_reach_ = 0;
#if defined(__SSE2__)
    if (literals_.size() > k_probe_max_literals) return;
    // Probe bytes come from the first window_ bytes of each literal: then the
    // last block of a line (moved back to end at the line's end) still covers
    // every start a literal can have.
    for (std::size_t idx = 0; idx < literals_.size(); ++idx) {
        const auto& l = literals_[idx];
        auto rarity = [&](std::size_t i) { return commonness(static_cast<unsigned char>(l[i])); };
        std::size_t first = 0;
        for (std::size_t i = 1; i < window_; ++i)
            if (rarity(i) < rarity(first)) first = i;
        std::size_t second = first == 0 ? 1 : 0;
        for (std::size_t i = 0; i < window_; ++i)
            if (i != first && rarity(i) < rarity(second)) second = i;
        Probe p;
        p.a.fill(static_cast<unsigned char>(l[first]));
        p.b.fill(static_cast<unsigned char>(l[second]));
        p.off_a = first;
        p.off_b = second;
        p.index = static_cast<int>(idx);
        probes_.push_back(p);
        probe_reach_ = std::max(probe_reach_, std::max(first, second) + 16);
    }
#endif
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
    if (!probes_.empty() && s.size() >= probe_reach_) return probe_scan(s);
    return three_ ? scan<true>(s) : scan<false>(s);
}

// Blocks of 16 window starts; the loads stay inside the line (the last block
// is moved back to end at its last byte, overlapping the one before). The
// line is read where it lies: loads across a copy written a moment ago would
// stall on store forwarding (hence LogRecord::source_text).
std::uint64_t LiteralSet::probe_scan(std::string_view s) const {
#if defined(__SSE2__)
    const auto* text = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    const std::size_t last = n - probe_reach_;
    auto lanes_of = [&](const Probe& p, std::size_t q) {
        const __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + q + p.off_a));
        const __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + q + p.off_b));
        const __m128i wa = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p.a.data()));
        const __m128i wb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p.b.data()));
        return _mm_and_si128(_mm_cmpeq_epi8(va, wa), _mm_cmpeq_epi8(vb, wb));
    };
    std::uint64_t found = 0;
    for (std::size_t q = 0;; q += 16) {
        if (q > last) q = last;
        __m128i any = _mm_setzero_si128();
        for (const Probe& p : probes_) any = _mm_or_si128(any, lanes_of(p, q));
        if (_mm_movemask_epi8(any) != 0) {
            for (const Probe& p : probes_) {
                const std::uint64_t bit = 1ULL << p.index;
                if (found & bit) continue;
                const std::string& lit = literals_[static_cast<std::size_t>(p.index)];
                for (auto lanes = static_cast<unsigned>(_mm_movemask_epi8(lanes_of(p, q))); lanes; lanes &= lanes - 1) {
                    const std::size_t start = q + static_cast<std::size_t>(__builtin_ctz(lanes));
                    if (start + lit.size() <= n && std::memcmp(text + start, lit.data(), lit.size()) == 0) {
                        found |= bit;
                        break;
                    }
                }
            }
        }
        if (q == last) break;
    }
    return found;
#else
    return three_ ? scan<true>(s) : scan<false>(s);
#endif
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
