// RecordReader: bytes in, kernel log records and gap events out, incrementally.
//
// Two input shapes, detected per line:
//  - /dev/kmsg records "prio,seq,usec,flags[,more];message" with \xNN escapes,
//    followed by continuation lines " KEY=value" (the device's dictionary);
//  - plain dmesg / console / journal text, each line optionally prefixed by a
//    syslog "<4>", a journalctl "Nov 25 20:18:10 ohm kernel: ", a "[ 12.345678]"
//    timestamp and a caller id "[ T123]" / "[C1]" (CONFIG_PRINTK_CALLER).
// Bytes can arrive in any chunking (the live follower feeds whatever the SSH
// channel delivered). Sequence numbers of kmsg records are checked: a jump is a
// SequenceGap::Lost, a jump after note_overrun() (the device returned EPIPE) is
// an Overrun, a step backwards is a Restart; the console's "** N printk
// messages dropped **" is a Dropped gap. Nothing is lost silently.
//
// Records are handed to the sink by const reference and the reader reuses
// their storage: a sink that keeps a record copies it. Never throws on input;
// garbage becomes text records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rig/kmsg/record.hpp"

namespace besrig::kmsg {

class RecordSink {
public:
    virtual ~RecordSink() = default;
    virtual void on_record(const LogRecord& record) = 0;
    virtual void on_gap(const SequenceGap& gap) = 0;
};

class RecordReader {
public:
    explicit RecordReader(RecordSink& sink) : sink_(sink) {}

    // Any number of bytes; complete lines are parsed now, a trailing partial
    // line waits for the next call. A kmsg record is held until its
    // continuation lines can no longer follow (next record or end of chunk).
    void feed(std::string_view bytes);
    // End of input: the partial line and any held record are emitted.
    void finish();

    // The follower's read of /dev/kmsg failed with EPIPE: the next sequence
    // jump is reported as an overrun.
    void note_overrun() { overrun_pending_ = true; }
    // Resume checking from a known point (e.g. the last stored seq + 1).
    void expect_next_seq(std::uint64_t seq) { next_seq_ = seq; }
    // false: a text record's message is handed out only as its source_text
    // (LogRecord::message()), `text` stays empty: one copy less per line for a
    // sink that keeps no record (offline triage). Default true.
    void keep_text(bool keep) { keep_text_ = keep; }

    std::uint64_t records() const { return records_; }
    std::uint64_t lines() const { return line_no_; }
    std::uint64_t lost() const { return lost_; }

private:
    void line(std::string_view l);
    void kmsg_record(std::string_view l, std::size_t semicolon);
    void text_record(std::string_view l);
    void flush_pending();
    void check_seq(std::uint64_t seq);
    void gap(SequenceGap::Kind kind, std::uint64_t first, std::uint64_t count);

    RecordSink& sink_;
    std::string partial_;
    LogRecord rec_;               // reused storage
    bool pending_ = false;        // rec_ holds a kmsg record awaiting continuations
    bool in_kmsg_ = false;        // the last record was a /dev/kmsg one
    std::optional<std::uint64_t> next_seq_;
    bool overrun_pending_ = false;
    bool keep_text_ = true;
    std::uint64_t line_no_ = 0;
    std::uint64_t records_ = 0;
    std::uint64_t lost_ = 0;
};

// The /dev/kmsg header "prio,seq,usec,flags[,...];" at the start of `line`:
// the position of the ';' or npos. Exposed for tests and the fuzzer.
std::size_t kmsg_header_end(std::string_view line);
// Decodes the kernel's \xNN escapes (other backslashes kept as they are).
void unescape_kmsg(std::string_view in, std::string& out);

}  // namespace besrig::kmsg
