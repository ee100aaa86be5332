// Per-second samples while iperf3 runs. iperf3 3.12 buffers `-J` output until
// the test ends, so live samples come from one of two line formats:
//   - the plain text interval lines of `--forceflush` (text_parser.hpp), for
//     every version; their numbers are rounded as iperf3 prints them, so the
//     client is run with `-f k` (rates to 1 Kbit/s);
//   - the `--json-stream` events of iperf3 >= 3.17 (json_stream_parser.hpp),
//     exact, and ending in the same document `-J` would have printed.
// Both turn stdout lines into Iperf3Sample values as they arrive and build an
// Iperf3Result of the whole run. Neither throws on a bad line: a live stress
// run must not die of one garbled line, so bad lines become notes.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "rig/iperf3/result.hpp"

namespace besrig {

class Iperf3LiveParser {
public:
    virtual ~Iperf3LiveParser() = default;
    // One stdout line (without its newline); returns the samples it completes.
    virtual std::vector<Iperf3Sample> feed(std::string_view line) = 0;
    // One stderr line: iperf3 prints "iperf3: error - ..." there.
    virtual void feed_stderr(std::string_view line) = 0;
    // Everything read so far.
    virtual Iperf3Result result() const = 0;
    // True once iperf3 said the test is over ("iperf Done.", the end event, an error).
    virtual bool finished() const = 0;
};

struct Iperf3LiveOptions {
    int streams = 0;       // -P; 0: count the "connected" lines
    bool reverse = false;  // -R (the text also says "Reverse mode")
    bool bidir = false;
};

std::unique_ptr<Iperf3LiveParser> make_iperf3_text_parser(const Iperf3LiveOptions& options);
std::unique_ptr<Iperf3LiveParser> make_iperf3_json_stream_parser(const std::string& source);

// "iperf3: error - unable to connect..." -> "unable to connect..."; empty if not an error line.
std::string iperf3_error_line(std::string_view line);

}  // namespace besrig
