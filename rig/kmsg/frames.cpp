#include "rig/kmsg/frames.hpp"

#include <array>
#include <vector>

namespace besrig::kmsg {
namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_symbol_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

// "+0x1d9/0x3210" at s[i..]; returns the index after it or npos.
std::size_t offset_size(std::string_view s, std::size_t i) {
    auto hex_run = [&](std::size_t j) {
        const std::size_t start = j;
        while (j < s.size() && is_hex(s[j])) ++j;
        return j > start ? j : std::string_view::npos;
    };
    if (s.substr(i, 3) != "+0x") return std::string_view::npos;
    i = hex_run(i + 3);
    if (i == std::string_view::npos || s.substr(i, 3) != "/0x") return std::string_view::npos;
    return hex_run(i + 3);
}

// Parses "func+0x../0x.. [module]" at s[i..].
std::optional<Frame> symbol_at(std::string_view s, std::size_t i) {
    const std::size_t start = i;
    while (i < s.size() && is_symbol_char(s[i])) ++i;
    if (i == start) return std::nullopt;
    Frame f;
    f.function = s.substr(start, i - start);
    const std::size_t after = offset_size(s, i);
    if (after == std::string_view::npos) return std::nullopt;
    if (after + 2 < s.size() && s[after] == ' ' && s[after + 1] == '[') {
        const std::size_t close = s.find(']', after + 2);
        if (close != std::string_view::npos) {
            auto mod = s.substr(after + 2, close - after - 2);
            // "[module]" or "[module  ]" / "[bes2600 ef12...]" (build id)
            mod = mod.substr(0, mod.find(' '));
            bool ok = !mod.empty();
            for (char c : mod) ok = ok && (is_symbol_char(c) || c == '-');
            if (ok) f.module = mod;
        }
    }
    return f;
}

// Entries: "^x" prefix, "x$" suffix, "^x$" exact, else substring.
constexpr auto k_generic = std::to_array<std::string_view>({
    "__sanitizer", "__asan", "kasan", "hwasan", "kmsan", "__msan", "kcsan_", "__ubsan", "ubsan_",
    "check_memory_region", "print_address_description", "panic", "invalid_op", "report_bug", "fixup_bug",
    "handle_bug", "print_report", "do_error", "do_trap", "_trap$", "show_stack", "dump_stack", "walk_stack",
    "dump_backtrace", "show_regs", "warn_slowpath", "warn_alloc", "__warn", "__report_bug",
    "kmalloc", "kzalloc", "kcalloc", "kvmalloc", "kvzalloc", "vmalloc", "krealloc", "kmem_cache", "slab_",
    "alloc_pages", "__alloc_frozen_pages", "folio_alloc", "do_read_cache_folio", "read_cache_page",
    "debug_object", "lockdep", "lock_acquire", "lock_release", "lock_class", "mark_lock", "held_locks",
    "spin_lock", "spin_trylock", "spin_unlock", "read_lock", "write_lock", "read_unlock", "write_unlock",
    "^down$", "down_read", "down_write", "down_trylock", "up_read", "up_write", "^mutex_", "^__mutex_",
    "^rt_mutex_", "osq_lock", "osq_unlock", "__wake_up", "^refcount_", "^kref_", "ref_tracker",
    "memcpy", "memset", "memmove", "memcmp", "memchr", "strcpy", "strncpy", "strscpy", "strlen", "strcmp",
    "strncmp", "string", "pointer", "snprintf", "kasprintf", "kvasprintf", "printk", "va_format",
    "dev_printk", "dev_warn", "dev_err", "dev_info", "copy_to_user", "copy_from_user", "put_user",
    "get_user", "might_fault", "might_sleep", "__might_resched", "list_add", "list_del", "^kfree$",
    "^kvfree$", "kfree_skb", "arch_stack_walk", "stack_trace_save", "do_mem_abort", "el1_abort",
    "do_kernel_fault", "do_translation_fault", "el1h_64_sync", "^__die", "^die$", "oops_end",
    "exc_page_fault", "^asm_exc_", "^bug_handler", "brk_handler", "call_break_hook",
});

constexpr auto k_stall_anchors = std::to_array<std::string_view>({
    "process_one_work", "do_syscall_", "do_fast_syscall_", "invoke_syscall", "el0_svc_handler",
    "ret_fast_syscall", "netif_receive_skb", "do_softirq", "handle_softirqs", "call_timer_fn", "_run_timers",
    "run_timer_softirq", "hrtimer_run", "run_ksoftirqd", "smpboot_thread_fn", "^kthread$", "start_secondary",
    "cpu_startup_entry", "ret_from_fork", "vfs_write", "vfs_read", "vfs_ioctl", "do_dentry_open", "vfs_open",
    "^sock_sendmsg", "^sock_recvmsg", "^__sock_release", "__fput", "task_work_run", "exit_to_user",
    "smp_call_function", "tasklet_action", "tasklet_hi_action", "__do_fault", "do_page_fault", "do_mmap",
});

constexpr auto k_hang_skips = std::to_array<std::string_view>({
    "sched", "_lock", "_slowlock", "down", "rwsem", "completion", "kthread", "wait", "synchronize",
    "context_switch", "__switch_to", "cancel_delayed_work", "rcu_barrier",
});

}  // namespace

std::optional<Frame> parse_frame(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    // Up to two "[<addr>]" / "[addr]" columns (older kernels print both).
    for (int k = 0; k < 2 && i < s.size() && s[i] == '['; ++k) {
        const std::size_t close = s.find(']', i);
        if (close == std::string_view::npos || close - i > 24) return std::nullopt;
        i = close + 1;
        while (i < s.size() && s[i] == ' ') ++i;
    }
    Frame f;
    if (i + 1 < s.size() && s[i] == '?' && s[i + 1] == ' ') {
        f.questionable = true;
        i += 2;
    }
    auto sym = symbol_at(s, i);
    if (!sym) return std::nullopt;
    sym->questionable = f.questionable;
    return sym;
}

std::optional<Frame> parse_ip_frame(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    s.remove_prefix(i);
    std::size_t at = std::string_view::npos;
    if (s.starts_with("RIP: ") || s.starts_with("EIP: ") || s.starts_with("NIP: ") || s.starts_with("NIP ")) {
        at = s.find(' ') + 1;
        while (at < s.size() && s[at] == ' ') ++at;
        // "0010:func" (kernel segment); "0033:" is user space.
        const std::size_t colon = s.find(':', at);
        if (colon != std::string_view::npos && colon - at <= 4) {
            if (s.substr(at, colon - at) == "0033" || s.substr(at, colon - at) == "0023" ||
                s.substr(at, colon - at) == "0073")
                return std::nullopt;
            at = colon + 1;
        }
        // "NIP [c0000000001234] func+0x.." : skip the address column.
        if (at < s.size() && s[at] == '[') {
            const std::size_t close = s.find(']', at);
            if (close == std::string_view::npos) return std::nullopt;
            at = close + 1;
            while (at < s.size() && s[at] == ' ') ++at;
        }
    } else if (s.starts_with("pc : ")) {
        at = 5;
    } else if (s.starts_with("PC is at ")) {
        at = 9;
    } else {
        return std::nullopt;
    }
    return symbol_at(s, at);
}

std::string_view normalize_function(std::string_view f) {
    // Everything from the first '.' is a clone suffix for kernel C symbols.
    const std::size_t dot = f.find('.');
    if (dot != std::string_view::npos && dot > 0) f = f.substr(0, dot);
    return f;
}

std::string_view strip_syscall_prefix(std::string_view f) {
    static constexpr std::array<std::string_view, 13> prefixes{
        "__x64_", "__ia32_", "__arm64_", "__se_", "__do_sys_", "____sys_", "___sys_", "__sys_", "sys_",
        "SyS_", "SYSC_", "ksys_", "compat_"};
    for (bool changed = true; changed;) {
        changed = false;
        for (auto p : prefixes) {
            if (f.size() > p.size() && f.starts_with(p)) {
                f.remove_prefix(p.size());
                changed = true;
            }
        }
    }
    return f;
}

bool matches_rule(std::string_view fn, std::string_view rule) {
    const bool anchored_start = rule.starts_with('^');
    const bool anchored_end = rule.ends_with('$');
    if (anchored_start) rule.remove_prefix(1);
    if (anchored_end) rule.remove_suffix(1);
    if (anchored_start && anchored_end) return fn == rule;
    if (anchored_start) return fn.starts_with(rule);
    if (anchored_end) return fn.ends_with(rule);
    return fn.find(rule) != std::string_view::npos;
}

namespace {

// k_generic with its anchors parsed once, and the first byte a match needs.
struct CompiledRule {
    std::string_view text;
    bool start = false, end = false;
};

const std::vector<CompiledRule>& generic_rules() {
    static const std::vector<CompiledRule> rules = [] {
        std::vector<CompiledRule> v;
        for (auto r : k_generic) {
            CompiledRule c;
            c.start = r.starts_with('^');
            c.end = r.ends_with('$');
            if (c.start) r.remove_prefix(1);
            if (c.end) r.remove_suffix(1);
            c.text = r;
            v.push_back(c);
        }
        return v;
    }();
    return rules;
}

}  // namespace

bool is_generic_frame(std::string_view fn, std::span<const std::string_view> extra) {
    fn = normalize_function(fn);
    // Which bytes the function name holds: a rule whose first byte is not
    // among them cannot match, and most rules are skipped on one lookup.
    std::array<bool, 256> present{};
    for (const char c : fn) present[static_cast<unsigned char>(c)] = true;
    for (const auto& r : generic_rules()) {
        if (!r.text.empty() && !present[static_cast<unsigned char>(r.text.front())]) continue;
        if (r.start && r.end ? fn == r.text
            : r.start        ? fn.starts_with(r.text)
            : r.end          ? fn.ends_with(r.text)
                             : fn.find(r.text) != std::string_view::npos)
            return true;
    }
    for (auto r : extra)
        if (matches_rule(fn, r)) return true;
    return false;
}

int pick_stall_frame(const std::vector<std::string_view>& frames) {
    for (std::size_t i = 0; i < frames.size(); ++i) {
        for (auto a : k_stall_anchors) {
            if (!matches_rule(frames[i], a)) continue;
            if (frames[i].find("smp_call_function") != std::string_view::npos) return static_cast<int>(i);
            return i == 0 ? -1 : static_cast<int>(i - 1);
        }
    }
    return -1;
}

int pick_hang_frame(const std::vector<std::string_view>& frames, std::string_view& replacement) {
    replacement = {};
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const auto f = frames[i];
        if (f.find("rtnl_lock") != std::string_view::npos) return static_cast<int>(i);
        if (f.find("synchronize_rcu") != std::string_view::npos || f.find("synchronize_srcu") != std::string_view::npos ||
            f.find("synchronize_net") != std::string_view::npos || f.find("synchronize_sched") != std::string_view::npos) {
            replacement = "synchronize_rcu";
            return static_cast<int>(i);
        }
    }
    for (std::size_t i = 0; i < frames.size(); ++i) {
        bool skip = false;
        for (auto r : k_hang_skips) skip = skip || frames[i].find(r) != std::string_view::npos;
        if (!skip) return static_cast<int>(i);
    }
    return -1;
}

}  // namespace besrig::kmsg
