// The Phase 6 build gate (BRIEF §3, §4): build a patch's module (or reuse the
// stored build of identical inputs), fail on any compiler warning the
// baseline build does not have, register the result in the bundle, and check
// its vermagic against the board's kernel.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "driver/bundle/bundle.hpp"
#include "util/process.hpp"

namespace besrig {

class Console;

struct BuildGateResult {
    BuildRecord build;
    bool reused = false;
    std::vector<std::string> new_warnings;  // relative to the rollback (baseline) build
    std::string log_path;
};

// Throws Error(PatchFailure) when the series does not apply, the build fails,
// or it adds warnings; Error(Infra) when the tools or headers are missing.
BuildGateResult build_patch(const RigConfig& config, Bundle& bundle, ProcessRunner& runner, const std::string& patch,
                            bool force, Console& console);

// Refuses (Error(Infra)) a build whose vermagic is not for `board_release`,
// quoting both strings.
void check_vermagic(const BuildRecord& build, const std::string& board_release);

// A patch name safe for paths and board commands; throws Error(Usage) otherwise.
void check_patch_name(const std::string& patch);

}  // namespace besrig
