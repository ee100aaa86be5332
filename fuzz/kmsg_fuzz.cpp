// libFuzzer target: arbitrary bytes through the kernel-log reader, the
// classifier and the storm detector. Nothing may crash, hang or leak; every
// report that comes out must be well formed.
//
// Build and run: scripts/fuzz_kmsg.sh [SECONDS]   (clang only; see fuzz/README.md)
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rig/kmsg/classifier.hpp"
#include "rig/kmsg/record_reader.hpp"
#include "rig/kmsg/storm_detector.hpp"

namespace {

using namespace besrig::kmsg;

ClassifierOptions options() {
    ClassifierOptions o;
    o.extra_patterns.push_back({"rx stall", R"(rx queue stalled for \d+ ms)", "warn"});
    o.max_report_lines = 64;  // reach the line cap often
    return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // The first byte picks how the input is chunked (the live follower's reads).
    const std::size_t chunk = 1 + data[0] % 64;
    const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

    ClassifyingSink sink(options());
    RecordReader reader(sink);
    if (data[0] & 0x80) reader.expect_next_seq(data[0]);
    for (std::size_t off = 0; off < input.size(); off += chunk) {
        reader.feed(input.substr(off, chunk));
        if ((off / chunk) % 7 == 3) reader.note_overrun();
    }
    reader.finish();
    sink.finish();

    StormDetector storm(3, 1.0);
    for (const auto& r : sink.reports) {
        if (r.klass.empty() || r.title.empty() || r.fingerprint.size() != 64 || r.severity.empty()) std::abort();
        if (r.last_line < r.first_line) std::abort();
        if (r.time_s) storm.add(*r.time_s, r.title);
    }
    for (const auto& g : sink.gaps)
        if (g.kind == SequenceGap::Kind::Lost && g.count == 0) std::abort();
    return 0;
}
