// Runs Makefile.kbuild (a driver tree + a patch series -> bes2600.ko) and
// reads what the compiler said. Pure helpers (hashes, warning extraction) are
// separate from the one function that runs make, so they test without a kernel.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "util/process.hpp"

namespace besrig {

struct KbuildRequest {
    std::filesystem::path makefile;     // Makefile.kbuild
    std::filesystem::path src;          // driver source tree
    std::filesystem::path patches_dir;  // driver/patches
    std::string patch;
    std::string kdir;  // kernel headers; empty: newest /lib/modules/*/build
    std::string arch;
    std::string cross_compile;
    std::filesystem::path out_dir;
    std::string module_name = "bes2600";
};

struct KbuildOutcome {
    ProcessResult process;
    std::filesystem::path ko;           // valid when process.success()
    std::vector<std::string> warnings;  // normalized, see compiler_warnings()
};

KbuildOutcome run_kbuild(ProcessRunner& runner, const KbuildRequest& request);

// Compiler (and sparse) warnings in a build log, normalized to
// "file: warning: text [-Wflag]" without line numbers, so a warning that only
// moved is not "new". Sorted, duplicates kept once.
std::vector<std::string> compiler_warnings(const std::string& log);

// Hash of a directory's files (relative paths and contents, sorted).
std::string tree_hash(const std::filesystem::path& dir);
// Hash of a patch series (driver/patches/<patch>/*.patch in order).
std::string series_hash(const std::filesystem::path& series_dir);
// The patch series files in the order they apply.
std::vector<std::filesystem::path> series_files(const std::filesystem::path& series_dir);
// The headers to build against when none are configured.
std::string default_kdir();

}  // namespace besrig
