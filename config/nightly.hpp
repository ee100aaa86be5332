// The nightly config (`besrig nightly --config nightly.json`; the shape is
// documented in config/examples/nightly.json): which patches the nightly runs
// through Phase 7, how, against which baseline, where the trend report, the
// lock and the log go. JSON with comments like rig.json, read by the same
// typed reader, so a bad value is refused as "file: key: expected X, got Y".
//
// Paths may start with "~"; a relative path is taken from the directory of
// the nightly config file (a systemd unit's working directory is not the
// author's). Optional keys fall back to the rig config (profile, reps) or
// to files under $XDG_STATE_HOME/besrig (lock_file, log_file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace besrig {

struct NightlyPatch {
    std::string name;
    // "" (judge by the patch's Phase 5 prediction, as `run phase7` does),
    // "no-delta" (TOST within margin_pct), "improve" (one-sided), "any"
    // (written "change" in the file: two-sided, no direction expected).
    std::string expect;
    std::optional<double> margin_pct;  // else compare.margin_pct of the rig config
};

struct NightlyConfig {
    std::filesystem::path file;
    std::optional<std::filesystem::path> rig_config;  // else the global --config resolution
    std::optional<std::filesystem::path> store;       // else store.path of the rig config
    std::string profile;                              // "" = phase7.profile of the rig config
    int reps = 0;                                     // 0 = phase7.reps of the rig config
    bool interleave = false;
    std::optional<std::int64_t> baseline_run;         // nullopt = "latest"
    std::vector<NightlyPatch> patches;
    int report_nights = 14;
    double report_margin_pct = 3.0;
    std::string report_markdown;  // path pattern with {date}; "" = not written
    std::string report_html;
    std::filesystem::path lock_file;
    std::filesystem::path log_file;
};

// Reads and checks `path`. Throws Error(Config) naming the file and the key.
NightlyConfig read_nightly_config(const std::filesystem::path& path);
// The typed pass alone (for tests): `source` names the file in errors and
// anchors relative paths.
NightlyConfig parse_nightly_config(const nlohmann::json& root, const std::filesystem::path& source);

// "nightly-{date}.md" with {date} replaced by `date` (every occurrence).
std::string substitute_date(const std::string& pattern, const std::string& date);

}  // namespace besrig
