// What besrig needs to know about one compiled module to deploy it and prove
// it is running. Deliberately minimal so the build bundle (driver/) can fill
// it from its manifest; until then module_build_from_file reads it from a .ko.
#pragma once

#include <filesystem>
#include <string>

namespace besrig {

struct ModuleBuild {
    std::filesystem::path path;  // the .ko on the controller
    std::string sha256;          // of the file, lowercase hex
    std::string srcversion;      // modinfo srcversion: what /sys/module/<m>/srcversion shows when it runs
    std::string patch;           // the patch it was built from ("b", "c-prep"); empty if unknown
    std::string vermagic;        // "6.1.0-18-amd64 SMP preempt mod_unload modversions"

    // The kernel release the module was built for: vermagic's first word.
    std::string kernel_release() const;
};

// Reads sha256, srcversion and vermagic from a .ko file on the controller
// (its .modinfo strings). Throws Error(Usage) naming the file when it cannot
// be read or is not a kernel module.
ModuleBuild module_build_from_file(const std::filesystem::path& ko, const std::string& patch = "");

// The value of `key=` in a module's .modinfo strings ("" when absent).
std::string modinfo_field(const std::string& ko_bytes, const std::string& key);

}  // namespace besrig
