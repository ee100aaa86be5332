#include "driver/bundle/modinfo.hpp"

#include <cstdint>
#include <cstring>

#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

// Little-endian readers with bounds checks: a truncated file is an error, not a crash.
class Bytes {
public:
    Bytes(const std::string& data, const std::string& what) : d_(data), what_(what) {}
    std::uint64_t read(std::uint64_t off, int size) const {
        if (off > d_.size() || static_cast<std::uint64_t>(size) > d_.size() - off)
            throw_usage(what_ + ": not a kernel module (truncated ELF at offset " + std::to_string(off) + ")");
        std::uint64_t v = 0;
        for (int i = size - 1; i >= 0; --i)
            v = (v << 8) | static_cast<unsigned char>(d_[static_cast<std::size_t>(off) + static_cast<std::size_t>(i)]);
        return v;
    }
    std::string_view slice(std::uint64_t off, std::uint64_t len) const {
        if (off > d_.size() || len > d_.size() - off)
            throw_usage(what_ + ": not a kernel module (section outside the file)");
        return std::string_view(d_).substr(static_cast<std::size_t>(off), static_cast<std::size_t>(len));
    }

private:
    const std::string& d_;
    const std::string& what_;
};

}  // namespace

std::string ModInfo::get(const std::string& key) const {
    auto it = fields.find(key);
    return it == fields.end() ? std::string() : it->second;
}

std::string ModInfo::kernel_release() const {
    const auto vm = get("vermagic");
    return std::string(vm.substr(0, vm.find(' ')));
}

ModInfo parse_modinfo(const std::string& elf, const std::string& what) {
    if (elf.size() < 64 || elf.compare(0, 4, "\x7f" "ELF") != 0) throw_usage(what + ": not an ELF file");
    const bool is64 = elf[4] == 2;
    if (elf[5] != 1) throw_usage(what + ": big-endian ELF is not supported");
    const Bytes b(elf, what);
    const std::uint64_t shoff = is64 ? b.read(0x28, 8) : b.read(0x20, 4);
    const auto shentsize = b.read(is64 ? 0x3A : 0x2E, 2);
    const auto shnum = b.read(is64 ? 0x3C : 0x30, 2);
    const auto shstrndx = b.read(is64 ? 0x3E : 0x32, 2);
    if (shnum == 0 || shstrndx >= shnum) throw_usage(what + ": ELF without section names");
    const auto section = [&](std::uint64_t i, std::uint64_t& off, std::uint64_t& size, std::uint64_t& name) {
        const std::uint64_t h = shoff + i * shentsize;
        name = b.read(h, 4);
        off = is64 ? b.read(h + 0x18, 8) : b.read(h + 0x10, 4);
        size = is64 ? b.read(h + 0x20, 8) : b.read(h + 0x14, 4);
    };
    std::uint64_t str_off = 0, str_size = 0, ignored = 0;
    section(shstrndx, str_off, str_size, ignored);
    const auto names = b.slice(str_off, str_size);
    for (std::uint64_t i = 0; i < shnum; ++i) {
        std::uint64_t off = 0, size = 0, name = 0;
        section(i, off, size, name);
        if (name >= names.size()) continue;
        const auto n = names.substr(static_cast<std::size_t>(name));
        if (n.substr(0, n.find('\0')) != ".modinfo") continue;
        ModInfo info;
        for (const auto& entry : split(b.slice(off, size), '\0')) {
            const auto eq = entry.find('=');
            if (eq == std::string::npos) continue;
            info.fields.emplace(entry.substr(0, eq), entry.substr(eq + 1));
        }
        if (info.get("vermagic").empty()) throw_usage(what + ": .modinfo has no vermagic");
        return info;
    }
    throw_usage(what + ": no .modinfo section (not a kernel module)");
}

ModInfo read_modinfo(const std::filesystem::path& ko) {
    std::string data;
    try {
        data = read_file(ko);
    } catch (const Error& e) {
        throw_usage(e.what());
    }
    return parse_modinfo(data, ko.string());
}

}  // namespace besrig
