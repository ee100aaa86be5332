// What the simulated board's CPUs are doing when it no longer answers: the
// emulator's view, like a JTAG probe on the real board (`besrig sim cpus`).
// QMP's human monitor gives each vCPU's registers ("info registers -a") and
// guest memory ("x /Ngx ADDR"); for each vCPU in the kernel (CPL 0) the words
// on its stack that point into kernel text are a rough backtrace (the first
// one is usually the caller of the function at RIP; stale words appear too).
// Names come from a /proc/kallsyms snapshot of the same boot when there is
// one (`besrig sim up` saves it; the board boots with nokaslr, so a snapshot
// from any boot of the same kernel names the core kernel's addresses).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace besrig {

struct VcpuRegisters {
    int index = 0;
    bool halted = false;  // HLT=1: idle, waiting for an interrupt
    int cpl = 0;          // 0: in the kernel, 3: in user space
    std::uint64_t rip = 0;
    std::uint64_t rsp = 0;
    std::uint64_t rflags = 0;
    bool interrupts_enabled() const { return (rflags & 0x200) != 0; }
};

// Parses QEMU's "info registers -a" text (one "CPU#N" block per vCPU).
// Blocks without RIP/RSP are skipped.
std::vector<VcpuRegisters> parse_info_registers(const std::string& text);

// The 64-bit words of an "x /Ngx ADDR" reply ("ffff...: 0x... 0x...").
std::vector<std::uint64_t> parse_memory_words(const std::string& text);

// Text symbols from a /proc/kallsyms file ("ADDR t name [module]").
class KernelSymbols {
public:
    static KernelSymbols load(const std::filesystem::path& kallsyms);
    static KernelSymbols parse(const std::string& text);
    // "name+0xoff [module]" for an address inside a known function (at most
    // 64 KiB past its start), nothing otherwise.
    std::optional<std::string> name(std::uint64_t address) const;
    bool empty() const { return symbols_.empty(); }
    std::size_t size() const { return symbols_.size(); }

private:
    std::vector<std::pair<std::uint64_t, std::string>> symbols_;  // sorted by address
};

}  // namespace besrig
