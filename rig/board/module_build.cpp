#include "rig/board/module_build.hpp"

#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"

namespace besrig {

std::string ModuleBuild::kernel_release() const {
    const auto sp = vermagic.find(' ');
    return vermagic.substr(0, sp);
}

std::string modinfo_field(const std::string& bytes, const std::string& key) {
    // .modinfo holds NUL-terminated "key=value" strings; each starts after a NUL.
    const std::string needle = std::string(1, '\0') + key + "=";
    const auto at = bytes.find(needle);
    if (at == std::string::npos) return "";
    const auto start = at + needle.size();
    const auto end = bytes.find('\0', start);
    return bytes.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

ModuleBuild module_build_from_file(const std::filesystem::path& ko, const std::string& patch) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(ko, ec)) throw_usage(ko.string() + ": no such module file");
    const std::string bytes = read_file(ko);
    if (bytes.size() < 4 || bytes.compare(0, 4, "\x7f" "ELF") != 0)
        throw_usage(ko.string() + ": not a kernel module (no ELF header)");
    ModuleBuild b;
    b.path = ko;
    b.sha256 = sha256_hex(bytes);
    b.srcversion = modinfo_field(bytes, "srcversion");
    b.vermagic = modinfo_field(bytes, "vermagic");
    b.patch = patch;
    if (b.vermagic.empty()) throw_usage(ko.string() + ": not a kernel module (no vermagic in .modinfo)");
    return b;
}

}  // namespace besrig
