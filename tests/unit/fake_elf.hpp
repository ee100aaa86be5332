// Builds a minimal little-endian ELF64 file whose only real content is a
// .modinfo section: enough for the bundle's modinfo reader, without a kernel.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace besrig::test {

inline void put(std::string& s, std::size_t off, std::uint64_t v, int size) {
    for (int i = 0; i < size; ++i) s[off + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
}

inline std::string fake_module(const std::vector<std::string>& modinfo) {
    std::string info;
    for (const auto& kv : modinfo) info += kv + '\0';
    const std::string names = std::string("\0.shstrtab\0.modinfo\0", 20);
    std::string elf(64, '\0');
    elf[0] = 0x7f; elf[1] = 'E'; elf[2] = 'L'; elf[3] = 'F';
    elf[4] = 2;  // 64-bit
    elf[5] = 1;  // little-endian
    elf[6] = 1;
    const std::size_t names_off = elf.size();
    elf += names;
    const std::size_t info_off = elf.size();
    elf += info;
    while (elf.size() % 8) elf += '\0';
    const std::size_t shoff = elf.size();
    elf += std::string(64 * 3, '\0');  // null, .shstrtab, .modinfo
    put(elf, 0x28, shoff, 8);
    put(elf, 0x3A, 64, 2);
    put(elf, 0x3C, 3, 2);
    put(elf, 0x3E, 1, 2);
    const auto section = [&](std::size_t i, std::uint64_t name, std::uint64_t off, std::uint64_t size) {
        const std::size_t h = shoff + 64 * i;
        put(elf, h, name, 4);
        put(elf, h + 0x18, off, 8);
        put(elf, h + 0x20, size, 8);
    };
    section(1, 1, names_off, names.size());
    section(2, 11, info_off, info.size());
    return elf;
}

}  // namespace besrig::test
