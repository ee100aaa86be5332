// Report headers: the one line that opens a kernel report, and how the rest
// of the report is read to name it.
//
// match_header() is called for every line, so it decides on the first byte
// of the message and a few prefix comparisons: no regex, no allocation for
// lines that are not headers (nearly all of them).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace besrig::kmsg {

// Where the guilty function comes from once the report is complete.
enum class StackRule {
    None,            // title is fixed or comes from the header alone
    IpThenTrace,     // the faulting IP (RIP:/pc :), then the first call trace
    TraceOnly,       // the first call trace / backtrace only
    AfterApicTimer,  // RCU stalls: the stack interrupted by the timer tick
    LockAt,          // lockdep: the "at: func" after the marker line
};
enum class FramePick { First, Stall, Hang };

struct HeaderMatch {
    std::string_view klass;
    std::string title_fmt;         // "{}" is the function; " in {}" dropped when none is found
    std::string_view severity = "fail";
    StackRule stack = StackRule::IpThenTrace;
    FramePick pick = FramePick::First;
    std::span<const std::string_view> skips;  // class-specific generic frames
    std::string header_function;  // function named by the header itself (classic WARNING, KASAN); owned:
    std::string header_module;    // the line it came from does not outlive the call
    std::string_view lock_marker;      // LockAt: the line after which "at:" names the function
    bool kasan_access = false;         // title needs "Read"/"Write" from the report body
    bool closes_immediately = false;   // a one-line report (driver errors, config patterns)
    bool is_panic = false;
};

// The first bytes a header (or a subsystem prefix in front of one: "watchdog: ",
// "rcu: ", "NMI watchdog: ") can start with: exactly the cases of
// match_header()'s switches. The classifier asks this first, so the common
// line costs one table lookup instead of a call returning an empty optional.
// Keep it in step with match_header() (a unit test checks it).
inline bool header_may_start(char c) {
    switch (c) {
        case 'w': case 'r': case 'N': case 'W': case 'B': case 'I': case 'U':
        case 'g': case 'k': case 'K': case 'O': case 'P': case 'd': case 'i': return true;
        default: return false;
    }
}

// A header, or nullopt. `msg` is the message with all log prefixes stripped.
std::optional<HeaderMatch> match_header(std::string_view msg);

// Lines that continue an open report rather than start one
// ("Oops: 0000 [#1]", "invalid opcode:", "Internal error:", "Kernel panic").
bool is_continuation_header(std::string_view msg);

// Known-benign lines that are never reports, whatever else matches them.
bool is_benign(std::string_view msg);

}  // namespace besrig::kmsg
