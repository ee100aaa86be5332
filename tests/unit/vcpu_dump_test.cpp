// sim/vcpu_dump: parsing QEMU 7.2's "info registers -a" and "x /Ngx" replies
// (shapes captured from a simulated board, 2026-11-26) and naming addresses
// from /proc/kallsyms text.
#include <gtest/gtest.h>

#include "sim/vcpu_dump.hpp"

namespace besrig {
namespace {

const char* k_two_cpus =
    "\r\nCPU#0\r\n"
    "RAX=000000000001ad40 RBX=0000000000000000 RCX=0000000000000000 RDX=4000000000000000\r\n"
    "RSI=0000000000000000 RDI=000000000010dd44 RBP=ffffffffa0a1aa40 RSP=ffffffffa0a03e98\r\n"
    "RIP=ffffffff9fa592eb RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1\r\n"
    "ES =0000 0000000000000000 00000000 00000000\r\n"
    "CPU#1\r\n"
    "RAX=0000000000000000 RBX=0000000000000000 RCX=0000000000000000 RDX=0000000000000000\r\n"
    "RSI=0000000000000000 RDI=0000000000000000 RBP=00007ffd1a2b3c40 RSP=00007ffd1a2b3c00\r\n"
    "RIP=00007f4adfd4e639 RFL=00000006 [-----P-] CPL=3 II=0 A20=1 SMM=0 HLT=0\r\n";

TEST(VcpuDump, ParsesEachCpusStateFromInfoRegisters) {
    const auto cpus = parse_info_registers(k_two_cpus);
    ASSERT_EQ(cpus.size(), 2u);
    EXPECT_EQ(cpus[0].index, 0);
    EXPECT_TRUE(cpus[0].halted);
    EXPECT_EQ(cpus[0].cpl, 0);
    EXPECT_EQ(cpus[0].rip, 0xffffffff9fa592ebULL);
    EXPECT_EQ(cpus[0].rsp, 0xffffffffa0a03e98ULL);  // not RBP's, not a DR register's
    EXPECT_TRUE(cpus[0].interrupts_enabled());
    EXPECT_EQ(cpus[1].index, 1);
    EXPECT_FALSE(cpus[1].halted);
    EXPECT_EQ(cpus[1].cpl, 3);
    EXPECT_FALSE(cpus[1].interrupts_enabled());  // RFL=6: IF clear
}

TEST(VcpuDump, IgnoresBlocksWithoutRegistersAndGarbage) {
    EXPECT_TRUE(parse_info_registers("").empty());
    EXPECT_TRUE(parse_info_registers("CPU#x RIP=zz").empty());
    EXPECT_TRUE(parse_info_registers("CPU#0\r\nno registers here\r\n").empty());
}

TEST(VcpuDump, ReadsMemoryWords) {
    const auto words = parse_memory_words(
        "ffffffffa0a03e98: 0xffffffff9fa5a0bd 0x0000000000000000\r\n"
        "ffffffffa0a03ea8: 0xffffffff9f0f3a78 0x0xnothex\r\n");
    ASSERT_EQ(words.size(), 3u);
    EXPECT_EQ(words[0], 0xffffffff9fa5a0bdULL);
    EXPECT_EQ(words[1], 0u);
    EXPECT_EQ(words[2], 0xffffffff9f0f3a78ULL);
}

TEST(VcpuDump, NamesAddressesInsideKnownFunctionsOnly) {
    const auto k = KernelSymbols::parse(
        "ffffffff9fa592e0 t native_safe_halt\n"
        "ffffffff9fa59300 T default_idle\n"
        "ffffffff9fa5a080 d some_data\n"
        "ffffffffc0a41010 t sdio_rx_work\t[bes2600]\n"
        "0000000000000000 t hidden_without_root\n");
    EXPECT_EQ(k.size(), 3u);  // data and zeroed addresses are not code
    EXPECT_EQ(k.name(0xffffffff9fa592ebULL).value_or(""), "native_safe_halt+0xb");
    EXPECT_EQ(k.name(0xffffffffc0a41020ULL).value_or(""), "sdio_rx_work+0x10 [bes2600]");
    EXPECT_FALSE(k.name(0xffffffff9fa592d0ULL).has_value());         // before the first symbol
    EXPECT_FALSE(k.name(0xffffffffc0a41010ULL + 0x20000).has_value());  // far past the last one
}

}  // namespace
}  // namespace besrig
