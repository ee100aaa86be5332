// Offline triage: a saved log file (or buffer) through the reader and the
// classifier, folded into signatures. What `besrig triage` prints, what the
// benchmark measures and what the corpus tests check.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rig/kmsg/classifier.hpp"
#include "rig/kmsg/report.hpp"

namespace besrig::kmsg {

struct TriageResult {
    std::string name;
    std::uint64_t bytes = 0;
    std::uint64_t lines = 0;
    std::uint64_t records = 0;
    std::uint64_t lost_records = 0;
    SignatureTable signatures;
    std::vector<SequenceGap> gaps;
};

// Feeds `data` in chunks of `chunk` bytes (to exercise the incremental path).
TriageResult triage_bytes(std::string name, std::string_view data, const ClassifierOptions& options,
                          std::size_t chunk = 1 << 20);
// Reads the file in 1 MiB chunks; throws besrig::Error (Usage) naming an unreadable file.
TriageResult triage_file(const std::filesystem::path& path, const ClassifierOptions& options);

}  // namespace besrig::kmsg
