// libFuzzer target: arbitrary bytes through the iperf3 output parsers — the
// `-J` document parser, the `--forceflush` text line parser and the
// `--json-stream` event parser — as the board's or a broken iperf3's output
// would reach them (fault test 12: truncated JSON from iperf3). Nothing may
// crash or throw: a bad document is a parse error, a bad line a note.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "rig/iperf3/json_parser.hpp"
#include "rig/iperf3/live_parser.hpp"

namespace {

using namespace besrig;

// Touches every sample (ASan sees a sample built from freed or stray memory).
double sum(const std::vector<Iperf3Sample>& samples) {
    double total = 0;
    for (const auto& s : samples) total += s.seconds() + static_cast<double>(s.bytes);
    return total;
}

void feed_lines(Iperf3LiveParser& parser, std::string_view text) {
    while (!text.empty()) {
        const auto nl = text.find('\n');
        const auto line = text.substr(0, nl);
        if (!line.empty() && line[0] == '!') {
            parser.feed_stderr(line.substr(1));
        } else {
            (void)sum(parser.feed(line));
        }
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    (void)sum(parser.result().samples);
    (void)parser.finished();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // The first byte picks the parser (and the text parser's options).
    const std::uint8_t pick = data[0];
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (pick % 3) {
        case 0: {
            auto r = parse_iperf3_json(input, "fuzz");
            if (r) {
                (void)sum(r.value().samples);
            } else if (r.error().message.empty()) {
                std::abort();  // an error must say what was wrong
            }
            break;
        }
        case 1: {
            Iperf3LiveOptions o;
            o.streams = (pick >> 2) & 7;
            o.reverse = (pick & 0x20) != 0;
            o.bidir = (pick & 0x40) != 0;
            auto parser = make_iperf3_text_parser(o);
            feed_lines(*parser, input);
            break;
        }
        default: {
            auto parser = make_iperf3_json_stream_parser("fuzz");
            feed_lines(*parser, input);
            break;
        }
    }
    (void)iperf3_error_line(input.substr(0, input.find('\n')));
    return 0;
}
