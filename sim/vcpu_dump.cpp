#include "sim/vcpu_dump.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

namespace besrig {
namespace {

std::optional<std::uint64_t> hex_field(const std::string& block, const std::string& name) {
    const std::regex re("(^|[^A-Z0-9])" + name + "=([0-9a-fA-F]+)");
    std::smatch m;
    if (!std::regex_search(block, m, re)) return std::nullopt;
    return std::stoull(m[2].str(), nullptr, 16);
}

}  // namespace

std::vector<VcpuRegisters> parse_info_registers(const std::string& text) {
    std::vector<VcpuRegisters> cpus;
    std::size_t pos = text.find("CPU#");
    while (pos != std::string::npos) {
        const std::size_t next = text.find("CPU#", pos + 4);
        const std::string block = text.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
        pos = next;
        VcpuRegisters r;
        try {
            r.index = std::stoi(block.substr(4));
        } catch (const std::exception&) {
            continue;
        }
        const auto rip = hex_field(block, "RIP");
        const auto rsp = hex_field(block, "RSP");
        if (!rip || !rsp) continue;
        r.rip = *rip;
        r.rsp = *rsp;
        r.rflags = hex_field(block, "RFL").value_or(0);
        r.cpl = static_cast<int>(hex_field(block, "CPL").value_or(0));
        r.halted = hex_field(block, "HLT").value_or(0) != 0;
        cpus.push_back(r);
    }
    return cpus;
}

std::vector<std::uint64_t> parse_memory_words(const std::string& text) {
    std::vector<std::uint64_t> words;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::istringstream fields(line.substr(colon + 1));
        std::string w;
        while (fields >> w) {
            if (w.rfind("0x", 0) != 0 || w.size() < 3 || w.size() > 18) continue;
            try {
                std::size_t used = 0;
                const auto v = std::stoull(w.substr(2), &used, 16);
                if (used == w.size() - 2) words.push_back(v);
            } catch (const std::exception&) {
            }
        }
    }
    return words;
}

KernelSymbols KernelSymbols::parse(const std::string& text) {
    KernelSymbols k;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string addr, type, name, module;
        if (!(f >> addr >> type >> name)) continue;
        if (type != "t" && type != "T" && type != "w" && type != "W") continue;
        f >> module;
        std::uint64_t a = 0;
        try {
            std::size_t used = 0;
            a = std::stoull(addr, &used, 16);
            if (used != addr.size() || a == 0) continue;  // zeros: kallsyms read without privilege
        } catch (const std::exception&) {
            continue;
        }
        k.symbols_.emplace_back(a, module.empty() ? name : name + " " + module);
    }
    std::sort(k.symbols_.begin(), k.symbols_.end());
    return k;
}

KernelSymbols KernelSymbols::load(const std::filesystem::path& kallsyms) {
    std::ifstream in(kallsyms);
    if (!in) return {};
    std::ostringstream s;
    s << in.rdbuf();
    return parse(s.str());
}

std::optional<std::string> KernelSymbols::name(std::uint64_t address) const {
    auto it = std::upper_bound(symbols_.begin(), symbols_.end(), address,
                               [](std::uint64_t a, const auto& s) { return a < s.first; });
    if (it == symbols_.begin()) return std::nullopt;
    --it;
    const auto offset = address - it->first;
    if (offset > 0x10000) return std::nullopt;
    std::ostringstream s;
    const auto space = it->second.find(' ');
    s << it->second.substr(0, space) << "+0x" << std::hex << offset;
    if (space != std::string::npos) s << it->second.substr(space);
    return s.str();
}

}  // namespace besrig
