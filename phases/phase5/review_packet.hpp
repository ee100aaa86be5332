// The Phase 5 review packet (BRIEF §4): Markdown for the second reviewer with
// the baseline figures and their spread, the prediction and its hash, the
// patch series (files, diffstat, hash), the protocol Phase 7 will run and the
// receipts it will demand. A string; the caller writes or prints it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "phases/compare/run_data.hpp"
#include "reports/stats/prediction.hpp"

namespace besrig::phase5 {

struct SeriesFile {
    std::string name;
    std::uintmax_t size = 0;
    int added = 0;    // '+' lines, not counting '+++' headers
    int removed = 0;  // '-' lines, not counting '---' headers
};

struct PatchSeries {
    std::filesystem::path dir;
    std::vector<SeriesFile> files;
    std::string hash;  // sha256 over each file's name and content, in order
};

// Reads driver/patches/<patch>/*.patch (an empty or missing directory is an
// empty series: the baseline patch has none).
PatchSeries read_patch_series(const std::filesystem::path& dir);

struct PacketInput {
    std::string patch;
    std::vector<stats::Prediction> predictions;
    std::string prediction_hash;
    std::optional<compare::RunData> baseline;  // nullopt: no baseline yet
    PatchSeries series;
    std::string profile_name;
    const ProfileConfig* profile = nullptr;
    int reps = 3;
    double margin_pct = 3;
};

std::string render_review_packet(const PacketInput& in);

}  // namespace besrig::phase5
