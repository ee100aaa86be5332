// Stack frames in kernel reports, and which of them are "generic".
//
// A frame line looks like " [<ffffffff81234567>] ? func.isra.3+0x1d9/0x3210 [module]"
// (address brackets, "? " and the module are optional). The instruction
// pointer of the faulting context comes as "RIP: 0010:func+0x../0x..",
// "pc : func+0x..", "PC is at func+0x.." or "NIP: ...".
//
// The guilty function of a report is the first frame that is not generic
// kernel machinery (__warn, report_bug, dump_stack, panic, allocators,
// locking primitives, string helpers ...). Classes add their own skips (an
// ODEBUG warning skips debug_*, timer_* ...). Stalls and hung tasks pick their
// frame differently (see pick_stall_frame / pick_hang_frame).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace besrig::kmsg {

struct Frame {
    std::string_view function;  // as printed, suffixes included
    std::string_view module;    // "bes2600" or empty (built-in)
    bool questionable = false;  // "? func" : a stale stack word, not a real caller
};

// A call-trace frame line, or nullopt.
std::optional<Frame> parse_frame(std::string_view line);
// An instruction-pointer line (RIP:/pc :/PC is at/NIP:) in kernel mode, or nullopt.
std::optional<Frame> parse_ip_frame(std::string_view line);

// Drops compiler clone suffixes (.isra.12, .constprop.0, .part.3, .cold,
// .llvm.123) that differ between builds of the same code.
std::string_view normalize_function(std::string_view f);
// Drops syscall wrapper prefixes (__x64_sys_, __do_sys_, SyS_ ...) for titles.
std::string_view strip_syscall_prefix(std::string_view f);

// A skip rule: "^x" prefix, "x$" suffix, "^x$" exact, else substring.
bool matches_rule(std::string_view function, std::string_view rule);
bool is_generic_frame(std::string_view function, std::span<const std::string_view> extra_skips = {});

// Stall (soft lockup, RCU stall): the frame just above the first dispatch
// anchor (process_one_work, tasklet_action, do_syscall_64 ...). Index or -1.
int pick_stall_frame(const std::vector<std::string_view>& frames);
// Hung task: rtnl_lock / synchronize_rcu buckets, else the first frame that is
// not scheduling or waiting. Index or -1; `replacement` set for rcu buckets.
int pick_hang_frame(const std::vector<std::string_view>& frames, std::string_view& replacement);

}  // namespace besrig::kmsg
