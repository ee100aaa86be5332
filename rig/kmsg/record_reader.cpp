#include "rig/kmsg/record_reader.hpp"

#include <cstring>

#include "rig/kmsg/text_prefix.hpp"

namespace besrig::kmsg {
namespace {

// A line longer than this without a newline is cut: binary garbage must not
// grow the buffer without bound.
constexpr std::size_t k_max_line = 1 << 20;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses digits at s[i..]; false when there are none or the value overflows.
bool number(std::string_view s, std::size_t& i, std::uint64_t& v) {
    const std::size_t start = i;
    v = 0;
    while (i < s.size() && is_digit(s[i])) {
        if (i - start >= 19) return false;
        v = v * 10 + static_cast<unsigned>(s[i++] - '0');
    }
    return i > start;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

const char* to_string(SequenceGap::Kind kind) {
    switch (kind) {
        case SequenceGap::Kind::Lost: return "lost";
        case SequenceGap::Kind::Overrun: return "overrun";
        case SequenceGap::Kind::Restart: return "restart";
        case SequenceGap::Kind::Dropped: return "dropped";
    }
    return "?";
}

std::size_t kmsg_header_end(std::string_view s) {
    std::size_t i = 0;
    std::uint64_t v = 0;
    for (int field = 0; field < 3; ++field) {
        if (!number(s, i, v) || i >= s.size() || s[i] != ',') return std::string_view::npos;
        ++i;
    }
    // flags and optional further fields, up to the ';' (short; no spaces).
    const std::size_t start = i;
    while (i < s.size() && s[i] != ';') {
        if (s[i] == ' ' || i - start > 64) return std::string_view::npos;
        ++i;
    }
    return i < s.size() ? i : std::string_view::npos;
}

void unescape_kmsg(std::string_view in, std::string& out) {
    out.clear();
    const char* p = in.data();
    const char* end = p + in.size();
    while (p < end) {
        const void* bs = std::memchr(p, '\\', static_cast<std::size_t>(end - p));
        if (!bs) {
            out.append(p, end);
            break;
        }
        const char* b = static_cast<const char*>(bs);
        out.append(p, b);
        if (end - b >= 4 && b[1] == 'x' && hex_value(b[2]) >= 0 && hex_value(b[3]) >= 0) {
            out.push_back(static_cast<char>(hex_value(b[2]) * 16 + hex_value(b[3])));
            p = b + 4;
        } else {
            out.push_back('\\');
            p = b + 1;
        }
    }
}

void RecordReader::feed(std::string_view bytes) {
    if (!partial_.empty()) {
        const auto nl = bytes.find('\n');
        if (nl == std::string_view::npos) {
            partial_.append(bytes);
            if (partial_.size() > k_max_line) {
                line(partial_);
                partial_.clear();
            }
            return;
        }
        partial_.append(bytes.substr(0, nl));
        line(partial_);
        partial_.clear();
        bytes.remove_prefix(nl + 1);
    }
    while (!bytes.empty()) {
        const void* nl = std::memchr(bytes.data(), '\n', bytes.size());
        if (!nl) break;
        const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - bytes.data());
        line(bytes.substr(0, len));
        bytes.remove_prefix(len + 1);
    }
    if (bytes.size() > k_max_line) {
        line(bytes);
        bytes = {};
    }
    partial_.assign(bytes);
    // Continuation lines travel with their record in one write of the
    // device; at a clean chunk end the held record is complete.
    if (partial_.empty()) flush_pending();
}

void RecordReader::finish() {
    if (!partial_.empty()) {
        line(partial_);
        partial_.clear();
    }
    flush_pending();
}

void RecordReader::line(std::string_view l) {
    ++line_no_;
    if (!l.empty() && l[0] == ' ' && in_kmsg_) {
        // A /dev/kmsg dictionary line: " KEY=value". If its record already went
        // out (the chunk ended between them) the dictionary is dropped: it
        // never carries the message itself.
        if (pending_) rec_.dict.emplace_back(l.substr(1));
        return;
    }
    if (!l.empty() && is_digit(l[0])) {
        if (const auto semi = kmsg_header_end(l); semi != std::string_view::npos) {
            kmsg_record(l, semi);
            return;
        }
    }
    text_record(l);
}

void RecordReader::kmsg_record(std::string_view l, std::size_t semi) {
    flush_pending();
    std::size_t i = 0;
    std::uint64_t prio = 0, seq = 0, usec = 0;
    number(l, i, prio);
    ++i;
    number(l, i, seq);
    ++i;
    number(l, i, usec);
    in_kmsg_ = true;
    rec_.source = LogRecord::Source::Kmsg;
    rec_.level = static_cast<int>(prio & 7);
    rec_.facility = static_cast<int>((prio >> 3) & 0xffff);
    rec_.seq = seq;
    rec_.time_s = static_cast<double>(usec) / 1e6;
    rec_.wall_s.reset();
    rec_.caller.clear();
    // Newer kernels add ",caller=T123" after the flags.
    const std::string_view fields = l.substr(i, semi - i);
    if (const auto c = fields.find("caller="); c != std::string_view::npos) {
        auto v = fields.substr(c + 7);
        rec_.caller.assign(v.substr(0, v.find(',')));
    }
    unescape_kmsg(l.substr(semi + 1), rec_.text);
    rec_.source_text.reset();
    rec_.dict.clear();
    rec_.line_no = line_no_;
    check_seq(seq);
    pending_ = true;
}

void RecordReader::text_record(std::string_view l) {
    flush_pending();
    in_kmsg_ = false;
    const TextPrefix p = parse_text_prefix(l);
    if (p.dropped) gap(SequenceGap::Kind::Dropped, 0, *p.dropped);
    rec_.source = LogRecord::Source::Text;
    rec_.seq.reset();
    rec_.level = p.level;
    rec_.facility = p.facility;
    rec_.time_s = p.time_s;
    rec_.wall_s = p.wall_s;
    // clear + append: no aliasing checks (the line never points into rec_),
    // measurably cheaper per line than assign's general replace.
    rec_.caller.clear();
    if (!p.caller.empty()) rec_.caller.append(p.caller);
    rec_.text.clear();
    if (keep_text_) rec_.text.append(p.message);
    rec_.source_text.set(p.message);
    if (!rec_.dict.empty()) rec_.dict.clear();
    rec_.line_no = line_no_;
    ++records_;
    sink_.on_record(rec_);
}

void RecordReader::flush_pending() {
    if (!pending_) return;
    pending_ = false;
    ++records_;
    sink_.on_record(rec_);
}

void RecordReader::check_seq(std::uint64_t seq) {
    if (next_seq_) {
        if (seq > *next_seq_) {
            gap(overrun_pending_ ? SequenceGap::Kind::Overrun : SequenceGap::Kind::Lost, *next_seq_, seq - *next_seq_);
        } else if (seq < *next_seq_) {
            gap(SequenceGap::Kind::Restart, seq, 0);
        }
    }
    overrun_pending_ = false;
    next_seq_ = seq + 1;
}

void RecordReader::gap(SequenceGap::Kind kind, std::uint64_t first, std::uint64_t count) {
    lost_ += count;
    sink_.on_gap(SequenceGap{kind, first, count, line_no_});
}

}  // namespace besrig::kmsg
