// One kernel log record, whatever it came from, and the explicit event for
// records that were lost before we could read them.
//
// The reader (record_reader.hpp) turns bytes into these; the classifier
// (classifier.hpp) consumes them. A record keeps the kernel's own clock
// (seconds since boot, from /dev/kmsg's usec field or a "[ 12.345678]"
// prefix) and, where the source has one, a wall-clock time (journalctl-style
// prefixes, or the live follower's receive time). Nothing here allocates per
// record beyond the message text itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace besrig::kmsg {

// A view of bytes owned by someone else for a short while (the reader's input
// during one on_record call). A copy is empty: a kept record never points
// into storage it does not own.
class TransientView {
public:
    TransientView() = default;
    TransientView(const TransientView&) noexcept {}
    TransientView& operator=(const TransientView&) noexcept {
        reset();
        return *this;
    }
    ~TransientView() = default;
    void set(std::string_view v) {
        view_ = v;
        set_ = true;
    }
    void reset() {
        view_ = {};
        set_ = false;
    }
    bool has_value() const { return set_; }
    std::string_view value() const { return view_; }

private:
    std::string_view view_;
    bool set_ = false;
};

struct LogRecord {
    enum class Source { Kmsg, Text };
    Source source = Source::Text;
    std::optional<std::uint64_t> seq;  // /dev/kmsg sequence number
    int level = -1;                    // syslog level 0..7, -1 unknown
    int facility = -1;                 // 0 = kernel
    std::optional<double> time_s;      // kernel monotonic time, seconds since boot
    std::optional<double> wall_s;      // wall clock (unix seconds), when known
    std::string caller;                // "T5982", "C1" or empty (CONFIG_PRINTK_CALLER)
    std::string text;                  // the message, escapes decoded, prefixes stripped
    std::vector<std::string> dict;     // kmsg continuation "KEY=value" lines
    std::uint64_t line_no = 0;         // 1-based input line where the record started
    // The same bytes as `text` where the reader found them (its input), valid
    // during on_record only; not set for /dev/kmsg records (their text is
    // decoded) nor in copies. A reader told not to keep text
    // (RecordReader::keep_text(false), offline triage) leaves `text` empty and
    // hands the message out only here; message() is right either way.
    TransientView source_text;

    std::string_view message() const { return source_text.has_value() ? source_text.value() : std::string_view(text); }
};

// Records that never reached us. Each is reported, none silently dropped.
struct SequenceGap {
    enum class Kind {
        Lost,      // a jump in /dev/kmsg sequence numbers
        Overrun,   // the reader saw EPIPE: the ring overwrote unread records
        Restart,   // the sequence went backwards (reboot or reader reopened)
        Dropped,   // the console said "** N printk messages dropped **"
    };
    Kind kind = Kind::Lost;
    std::uint64_t first_missing = 0;  // first sequence number not seen (Lost/Overrun)
    std::uint64_t count = 0;          // how many records (0 when unknown, e.g. Restart)
    std::uint64_t line_no = 0;        // input line where the gap was noticed
};

const char* to_string(SequenceGap::Kind kind);

}  // namespace besrig::kmsg
