#include "rig/kmsg/headers.hpp"

#include <array>

#include "rig/kmsg/frames.hpp"

namespace besrig::kmsg {
namespace {

using sv = std::string_view;

constexpr auto k_odebug_skips = std::to_array<sv>({"debug_", "rcu", "hrtimer_", "timer_", "work_", "percpu_",
                                                   "kmem_", "slab_", "kfree", "vunmap", "vfree", "__free_",
                                                   "kobject_"});
constexpr auto k_refcount_skips = std::to_array<sv>({"refcount", "kobject_"});
constexpr auto k_locking_skips = std::to_array<sv>({"lock_sock", "release_sock"});
constexpr auto k_kobject_skips = std::to_array<sv>({"kobject_"});
constexpr auto k_usercopy_skips = std::to_array<sv>({"usercopy", "__check"});
constexpr auto k_proc_skips = std::to_array<sv>({"proc_"});
constexpr auto k_rcu_skips = std::to_array<sv>({"apic_timer_interrupt", "rcu"});
constexpr auto k_spin_skips = std::to_array<sv>({"spin_"});
constexpr auto k_atomic_skips = std::to_array<sv>({"preempt", "schedule"});
constexpr auto k_leak_skips = std::to_array<sv>({"kmemleak", "alloc", "kmem", "slab", "create_object", "strdup",
                                                 "memdup", "kasprintf"});
constexpr auto k_rcu_usage_skips = std::to_array<sv>({"rcu", "kmem", "slab"});
constexpr auto k_register_key_skips = std::to_array<sv>({"stack", "lock", "IRQ"});

bool starts(sv s, sv p) { return s.substr(0, p.size()) == p; }
bool has(sv s, sv p) { return s.find(p) != sv::npos; }

HeaderMatch make(sv klass, std::string fmt, StackRule stack = StackRule::IpThenTrace) {
    HeaderMatch m;
    m.klass = klass;
    m.title_fmt = std::move(fmt);
    m.stack = stack;
    return m;
}

HeaderMatch lockdep(std::string fmt, sv marker) {
    HeaderMatch m = make("LOCKDEP", std::move(fmt), StackRule::LockAt);
    m.lock_marker = marker;
    return m;
}

// WARNING whose source file says what kind of bug it is.
HeaderMatch warning_for_file(sv file) {
    if (has(file, "lib/debugobjects.c")) {
        auto m = make("WARNING", "WARNING: ODEBUG bug in {}");
        m.skips = k_odebug_skips;
        return m;
    }
    if (has(file, "lib/refcount.c")) {
        auto m = make("WARNING", "WARNING: refcount bug in {}");
        m.skips = k_refcount_skips;
        return m;
    }
    if (has(file, "kernel/locking/lockdep.c")) {
        auto m = make("WARNING", "WARNING: locking bug in {}");
        m.skips = k_locking_skips;
        return m;
    }
    if (has(file, "lib/kobject.c")) {
        auto m = make("WARNING", "WARNING: kobject bug in {}");
        m.skips = k_kobject_skips;
        return m;
    }
    if (has(file, "mm/usercopy.c")) {
        auto m = make("WARNING", "WARNING: bad usercopy in {}");
        m.skips = k_usercopy_skips;
        return m;
    }
    if (has(file, "fs/proc/generic.c")) {
        auto m = make("WARNING", "WARNING: proc registration bug in {}");
        m.skips = k_proc_skips;
        return m;
    }
    return make("WARNING", "WARNING in {}");
}

bool looks_like_source_path(sv s) {
    if (s.empty() || s.size() > 200) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
              c == '-' || c == '.' || c == '+'))
            return false;
    return has(s, ".c") || has(s, ".h") || has(s, ".rs");
}

std::optional<HeaderMatch> warning(sv msg) {
    sv rest = msg.substr(9);  // after "WARNING: "
    if (starts(rest, "CPU: ") || starts(rest, "at ")) {
        // Classic: "CPU: 0 PID: 1 at FILE:LINE FUNC+0x../0x.. [module]" (or old "at FILE:LINE FUNC()").
        const auto at = starts(rest, "at ") ? 0 : rest.find(" at ");
        if (at == sv::npos) return std::nullopt;
        sv loc = rest.substr(at + (starts(rest, "at ") ? 3 : 4));
        const auto sp = loc.find(' ');
        const sv file = loc.substr(0, loc.find(':'));
        auto m = warning_for_file(file);
        if (sp != sv::npos) {
            if (auto f = parse_frame(loc.substr(sp))) {
                m.header_function = f->function;
                m.header_module = f->module;
            } else {
                sv fn = loc.substr(sp + 1);
                m.header_function = fn.substr(0, fn.find_first_of("(+ "));
                if (const auto b = fn.rfind(" ["); b != sv::npos && fn.back() == ']')
                    m.header_module = fn.substr(b + 2, fn.size() - b - 3);
            }
        }
        return m;
    }
    if (starts(rest, "possible circular locking dependency detected") || starts(rest, "possible recursive locking detected"))
        return lockdep("possible deadlock in {}", "is trying to acquire");
    if (starts(rest, "possible irq lock inversion dependency detected"))
        return lockdep("possible deadlock in {}", "just changed the state of lock");
    if (starts(rest, "SOFTIRQ-safe -> SOFTIRQ-unsafe") || starts(rest, "HARDIRQ-safe -> HARDIRQ-unsafe"))
        return lockdep("possible deadlock in {}", "is trying to acquire");
    if (starts(rest, "inconsistent lock state")) return lockdep("inconsistent lock state in {}", "takes");
    if (starts(rest, "bad unlock balance detected")) return lockdep("WARNING: bad unlock balance in {}", "is trying to release lock");
    if (starts(rest, "held lock freed")) return lockdep("WARNING: held lock freed in {}", "held lock freed");
    if (starts(rest, "lock held when returning to user space"))
        return lockdep("WARNING: lock held when returning to user space in {}", "leaving the kernel with locks still held");
    if (starts(rest, "suspicious RCU usage")) {
        auto m = make("LOCKDEP", "WARNING: suspicious RCU usage in {}", StackRule::TraceOnly);
        m.skips = k_rcu_usage_skips;
        return m;
    }
    // Late-2025 format: "WARNING: FILE:LINE at WHERE, CPU#n: comm/pid".
    const auto colon = rest.find(':');
    if (colon != sv::npos && looks_like_source_path(rest.substr(0, colon))) {
        const auto at = rest.find(" at ", colon);
        if (at != sv::npos && has(rest.substr(at), "CPU#")) {
            auto m = warning_for_file(rest.substr(0, colon));
            if (auto f = parse_frame(rest.substr(at + 3))) {
                m.header_function = f->function;
                m.header_module = f->module;
            }
            return m;
        }
    }
    return std::nullopt;  // "WARNING: RO_VPD is uninitialized" and other non-kernel text
}

std::optional<HeaderMatch> bug(sv msg) {
    sv rest = msg.substr(5);  // after "BUG: "
    if (starts(rest, "KASAN: ")) {
        sv kind = rest.substr(7);
        const auto in = kind.find(" in ");
        auto m = make("KASAN", "", StackRule::TraceOnly);
        if (in == sv::npos) {
            m.title_fmt = "KASAN: " + std::string(kind.substr(0, kind.find(' ')));
            m.stack = StackRule::None;
            return m;
        }
        sv k = kind.substr(0, in);
        if (has(k, "double-free") || has(k, "invalid-free")) k = "invalid-free";
        sv fn = kind.substr(in + 4);
        m.header_function = fn.substr(0, fn.find_first_of(" +"));
        m.title_fmt = "KASAN: " + std::string(k) + (k == "invalid-free" ? "" : "{access}") + " in {}";
        m.kasan_access = true;
        return m;
    }
    if (starts(rest, "KCSAN: ") || starts(rest, "KFENCE: ") || starts(rest, "KMSAN: ")) {
        auto m = make(starts(rest, "KCSAN") ? "KCSAN" : "KASAN", std::string(rest), StackRule::None);
        return m;
    }
    if (starts(rest, "unable to handle kernel paging request") || starts(rest, "unable to handle page fault") ||
        starts(rest, "Unable to handle kernel data access"))
        return make("PAGE_FAULT", "BUG: unable to handle kernel paging request in {}");
    if (starts(rest, "unable to handle kernel NULL pointer dereference") || starts(rest, "kernel NULL pointer dereference") ||
        starts(rest, "Kernel NULL pointer dereference"))
        return make("PAGE_FAULT", "BUG: unable to handle kernel NULL pointer dereference in {}");
    if (starts(rest, "unable to handle kernel") || starts(rest, "Unable to handle kernel"))
        return make("PAGE_FAULT", "BUG: unable to handle kernel in {}");
    if (starts(rest, "soft lockup")) {
        auto m = make("SOFT_LOCKUP", "BUG: soft lockup in {}");
        m.pick = FramePick::Stall;
        return m;
    }
    if (starts(rest, "sleeping function called from invalid context"))
        return make("BUG", "BUG: sleeping function called from invalid context in {}", StackRule::TraceOnly);
    if (starts(rest, "scheduling while atomic")) {
        auto m = make("BUG", "BUG: scheduling while atomic in {}", StackRule::TraceOnly);
        m.skips = k_atomic_skips;
        return m;
    }
    if (starts(rest, "spinlock ")) {
        sv what = rest.substr(9);
        what = what.substr(0, what.find(" on CPU"));
        auto m = make("BUG", "BUG: spinlock " + std::string(what.substr(0, what.find_first_of(":,"))) + " in {}",
                      StackRule::TraceOnly);
        m.skips = k_spin_skips;
        return m;
    }
    if (starts(rest, "memory leak")) {
        auto m = make("BUG", "memory leak in {}", StackRule::TraceOnly);
        m.skips = k_leak_skips;
        return m;
    }
    if (starts(rest, "workqueue lockup")) return make("BUG", "BUG: workqueue lockup", StackRule::None);
    if (starts(rest, "Bad page state")) return make("BUG", "BUG: Bad page state", StackRule::None);
    if (starts(rest, "Bad page map")) return make("BUG", "BUG: Bad page map", StackRule::None);
    if (starts(rest, "Bad rss-counter state")) return make("BUG", "BUG: Bad rss-counter state", StackRule::None);
    if (starts(rest, "stack guard page was hit")) return make("BUG", "BUG: stack guard page was hit in {}");
    if (starts(rest, "using ") && has(rest, "preemptible")) {
        sv what = rest.substr(0, rest.find(" in preemptible"));
        return make("BUG", "BUG: " + std::string(what) + " in preemptible code in {}", StackRule::TraceOnly);
    }
    if (starts(rest, "no syscalls can create resource")) return std::nullopt;
    if (rest.empty() || rest[0] == ' ') return std::nullopt;
    // Other "BUG: something": keep the words up to the first digit or colon.
    std::size_t end = 0;
    while (end < rest.size() && rest[end] != ':' && rest[end] != '(' && !(rest[end] >= '0' && rest[end] <= '9') && end < 80)
        ++end;
    while (end > 0 && (rest[end - 1] == ' ' || rest[end - 1] == '-' || rest[end - 1] == '!')) --end;
    if (end == 0) return std::nullopt;
    return make("BUG", "BUG: " + std::string(rest.substr(0, end)) + " in {}", StackRule::TraceOnly);
}

std::optional<HeaderMatch> info(sv msg) {
    sv rest = msg.substr(6);  // after "INFO: "
    if (starts(rest, "task ") && has(rest, " blocked ") && has(rest, "for more than")) {
        auto m = make("HUNG_TASK", "INFO: task hung in {}", StackRule::TraceOnly);
        m.pick = FramePick::Hang;
        return m;
    }
    if ((starts(rest, "rcu_preempt ") || starts(rest, "rcu_sched ") || starts(rest, "rcu_bh ")) && has(rest, "stall")) {
        auto m = make("RCU_STALL", "INFO: rcu detected stall in {}", StackRule::AfterApicTimer);
        m.pick = FramePick::Stall;
        m.skips = k_rcu_skips;
        return m;
    }
    if (starts(rest, "possible circular locking dependency detected") || starts(rest, "possible recursive locking detected") ||
        starts(rest, "SOFTIRQ-safe -> SOFTIRQ-unsafe"))
        return lockdep("possible deadlock in {}", "is trying to acquire");
    if (starts(rest, "possible irq lock inversion dependency detected"))
        return lockdep("possible deadlock in {}", "just changed the state of lock");
    if (starts(rest, "inconsistent lock state")) return lockdep("inconsistent lock state in {}", "takes");
    if (starts(rest, "trying to register non-static key")) {
        auto m = make("LOCKDEP", "INFO: trying to register non-static key in {}", StackRule::TraceOnly);
        m.skips = k_register_key_skips;
        return m;
    }
    if (starts(rest, "suspicious RCU usage")) {
        auto m = make("LOCKDEP", "INFO: suspicious RCU usage in {}", StackRule::TraceOnly);
        m.skips = k_rcu_usage_skips;
        return m;
    }
    return std::nullopt;
}

}  // namespace

std::optional<HeaderMatch> match_header(sv msg) {
    if (msg.size() < 4) return std::nullopt;
    // Subsystem prefixes in front of the real header.
    switch (msg[0]) {
        case 'w':
            if (starts(msg, "watchdog: ")) msg.remove_prefix(10);
            break;
        case 'r':
            if (starts(msg, "rcu: ")) msg.remove_prefix(5);
            break;
        case 'N':
            if (starts(msg, "NMI watchdog: ")) msg.remove_prefix(14);
            break;
        default: break;
    }
    if (msg.size() < 4) return std::nullopt;
    switch (msg[0]) {
        case 'W':
            if (starts(msg, "WARNING: ")) return warning(msg);
            if (starts(msg, "Watchdog detected hard LOCKUP")) {
                auto m = make("HARD_LOCKUP", "BUG: hard lockup in {}");
                m.pick = FramePick::Stall;
                return m;
            }
            return std::nullopt;
        case 'B':
            if (starts(msg, "BUG: ")) return bug(msg);
            return std::nullopt;
        case 'I':
            if (starts(msg, "INFO: ")) return info(msg);
            if (starts(msg, "Internal error: ")) {
                if (has(msg, "BUG")) return make("BUG", "kernel BUG in {}");
                return make("OOPS", "Oops in {}");
            }
            return std::nullopt;
        case 'U':
            if (starts(msg, "UBSAN: ")) {
                sv kind = msg.substr(7);
                kind = kind.substr(0, kind.find(" in "));
                auto m = make("UBSAN", "UBSAN: " + std::string(kind.substr(0, 60)) + " in {}", StackRule::TraceOnly);
                return m;
            }
            if (starts(msg, "Unable to handle kernel NULL pointer dereference"))
                return make("PAGE_FAULT", "BUG: unable to handle kernel NULL pointer dereference in {}");
            if (starts(msg, "Unable to handle kernel "))
                return make("PAGE_FAULT", "BUG: unable to handle kernel paging request in {}");
            return std::nullopt;
        case 'g':
            if (starts(msg, "general protection fault")) return make("GPF", "general protection fault in {}");
            return std::nullopt;
        case 'k':
            if (starts(msg, "kernel BUG at ")) return make("BUG", "kernel BUG in {}");
            return std::nullopt;
        case 'K':
            if (starts(msg, "Kernel panic - not syncing: ")) {
                sv why = msg.substr(28);
                while (!why.empty() && (why.back() == ' ' || why.back() == '\r')) why.remove_suffix(1);
                auto m = make("PANIC", "kernel panic: " + std::string(why.substr(0, 120)), StackRule::TraceOnly);
                m.is_panic = true;
                return m;
            }
            if (starts(msg, "Kernel BUG ")) return make("BUG", "kernel BUG in {}");
            return std::nullopt;
        case 'O':
            if (starts(msg, "Oops: ") || starts(msg, "Oops - ")) return make("OOPS", "Oops in {}");
            return std::nullopt;
        case 'P':
            if (starts(msg, "PANIC: double fault")) return make("BUG", "PANIC: double fault in {}");
            return std::nullopt;
        case 'd':
            if (starts(msg, "divide error: ")) return make("BUG", "divide error in {}");
            return std::nullopt;
        case 'i':
            if (starts(msg, "invalid opcode: ")) return make("BUG", "invalid opcode in {}");
            return std::nullopt;
        default: return std::nullopt;
    }
}

bool is_continuation_header(sv msg) {
    return starts(msg, "Oops: ") || starts(msg, "Oops - ") || starts(msg, "invalid opcode: ") ||
           starts(msg, "Internal error: ") || starts(msg, "Kernel panic - not syncing") ||
           starts(msg, "PANIC: double fault");
}

bool is_benign(sv msg) {
    return has(msg, "loading out-of-tree module taints kernel") ||
           has(msg, "module verification failed: signature and/or required key missing") ||
           has(msg, "Disabling lock debugging due to kernel taint");
}

}  // namespace besrig::kmsg
