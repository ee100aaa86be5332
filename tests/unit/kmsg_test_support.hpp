// Shared helpers for the kernel-log tests: classify a buffer in one call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rig/kmsg/classifier.hpp"
#include "rig/kmsg/record_reader.hpp"

namespace besrig::kmsg::test {

struct Classified {
    std::vector<KernelReport> reports;
    std::vector<SequenceGap> gaps;
};

inline Classified classify(std::string_view log, ClassifierOptions options = {}, std::size_t chunk = 0) {
    ClassifyingSink sink(std::move(options));
    RecordReader reader(sink);
    if (chunk == 0) chunk = log.size() + 1;
    for (std::size_t off = 0; off < log.size(); off += chunk) reader.feed(log.substr(off, chunk));
    reader.finish();
    sink.finish();
    return {std::move(sink.reports), std::move(sink.gaps)};
}

}  // namespace besrig::kmsg::test
