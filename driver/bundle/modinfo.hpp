// Reads a kernel module's .modinfo section straight from the ELF file
// (vermagic, srcversion, version, name, ...), so registering a build needs no
// `modinfo` binary and works for cross-built (arm64) modules too.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace besrig {

struct ModInfo {
    std::map<std::string, std::string> fields;  // first value of each key
    std::string get(const std::string& key) const;
    // The kernel release at the start of vermagic ("6.1.0-56-amd64 SMP ..." -> "6.1.0-56-amd64").
    std::string kernel_release() const;
};

// Throws Error(Usage) naming the file and what is wrong when it is not an ELF
// module with a .modinfo section.
ModInfo read_modinfo(const std::filesystem::path& ko);
// Same, from bytes already in memory (`what` names them in errors).
ModInfo parse_modinfo(const std::string& elf, const std::string& what);

}  // namespace besrig
