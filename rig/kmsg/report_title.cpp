// Naming a finished report: which frames count, which one is guilty, the
// syzkaller-style title and the fingerprint.
#include <algorithm>

#include "rig/kmsg/classifier.hpp"
#include "rig/kmsg/frames.hpp"
#include "util/sha256.hpp"

namespace besrig::kmsg {
namespace {

constexpr std::size_t k_fingerprint_frames = 3;
constexpr std::size_t k_max_text_lines = 200;

bool has(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

bool is_trace_start(std::string_view l) {
    return has(l, "Call Trace") || has(l, "Call trace:") || has(l, "Backtrace:") || has(l, " backtrace:") ||
           has(l, "backtrace (crc");
}

struct Candidate {
    std::string_view function;
    std::string_view module;
};

// Real frames (not "? " guesses) of lines[from..].
void frames_from(const std::vector<std::string>& lines, std::size_t from, std::vector<Candidate>& out) {
    for (std::size_t i = from; i < lines.size(); ++i) {
        if (auto f = parse_frame(lines[i]); f && !f->questionable) out.push_back({f->function, f->module});
    }
}

// The IP frame at or after `from`: its line index, or lines.size().
std::size_t ip_line(const std::vector<std::string>& lines, std::size_t from, std::vector<Candidate>& out) {
    for (std::size_t i = from; i < lines.size(); ++i) {
        if (auto f = parse_ip_frame(lines[i])) {
            out.push_back({f->function, f->module});
            return i;
        }
    }
    return lines.size();
}

std::size_t trace_line(const std::vector<std::string>& lines, std::size_t from) {
    for (std::size_t i = from; i < lines.size(); ++i)
        if (is_trace_start(lines[i])) return i;
    return lines.size();
}

std::vector<Candidate> candidates(const OpenReport& o) {
    const auto& lines = o.lines;
    std::vector<Candidate> out;
    switch (o.header.stack) {
        case StackRule::None: break;
        case StackRule::LockAt: {
            std::size_t i = 1;
            while (i < lines.size() && !has(lines[i], o.header.lock_marker)) ++i;
            for (; i < lines.size(); ++i) {
                const auto at = lines[i].find("at: ");
                if (at == std::string::npos) continue;
                std::string_view rest = std::string_view(lines[i]).substr(at + 4);
                if (auto f = parse_frame(rest)) {
                    out.push_back({f->function, f->module});
                } else {
                    if (!rest.empty() && rest[0] == '[') rest.remove_prefix(std::min(rest.size(), rest.find(']') + 1));
                    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
                    const auto fn = rest.substr(0, rest.find_first_of(" +"));
                    if (!fn.empty()) out.push_back({fn, {}});
                }
                break;
            }
            break;
        }
        case StackRule::AfterApicTimer: {
            std::size_t apic = lines.size();
            for (std::size_t i = 1; i < lines.size(); ++i) {
                if (auto f = parse_frame(lines[i]); f && has(f->function, "apic_timer_interrupt")) {
                    apic = i;
                    break;
                }
            }
            if (apic < lines.size()) {
                const std::size_t ip = ip_line(lines, apic + 1, out);
                frames_from(lines, ip + 1, out);
                break;
            }
            [[fallthrough]];
        }
        case StackRule::IpThenTrace: {
            const std::size_t ip = ip_line(lines, 1, out);
            const std::size_t trace = trace_line(lines, 1);
            if (trace < lines.size()) {
                frames_from(lines, trace + 1, out);
            } else {
                frames_from(lines, ip < lines.size() ? ip + 1 : 1, out);
            }
            break;
        }
        case StackRule::TraceOnly: {
            const std::size_t trace = trace_line(lines, 1);
            frames_from(lines, trace < lines.size() ? trace + 1 : 1, out);
            break;
        }
    }
    return out;
}

std::string format_title(std::string fmt, std::string_view function) {
    const auto pos = fmt.find("{}");
    if (pos == std::string::npos) return fmt;
    if (!function.empty()) return fmt.replace(pos, 2, function);
    // No function: drop " in {}" (or just "{}").
    const auto in = fmt.rfind(" in {}");
    if (in != std::string::npos) return fmt.erase(in, 6);
    return fmt.erase(pos, 2);
}

}  // namespace

KernelReport finish_report(OpenReport&& o) {
    KernelReport r = std::move(o.meta);
    const HeaderMatch& h = o.header;
    r.klass = std::string(h.klass);
    r.severity = std::string(h.severity);

    const auto all = candidates(o);
    std::vector<Candidate> kept;
    for (const auto& c : all) {
        if (is_generic_frame(c.function, h.skips)) continue;
        // arm64 repeats the pc function as the first call-trace frame.
        if (!kept.empty() && kept.back().function == c.function) continue;
        kept.push_back(c);
    }
    std::vector<std::string_view> names;
    for (const auto& c : kept) names.push_back(normalize_function(c.function));

    int guilty = -1;
    std::string_view replacement;
    switch (h.pick) {
        case FramePick::First: guilty = kept.empty() ? -1 : 0; break;
        case FramePick::Stall:
            guilty = pick_stall_frame(names);
            if (guilty < 0 && !kept.empty()) guilty = 0;
            break;
        case FramePick::Hang: guilty = pick_hang_frame(names, replacement); break;
    }

    std::string_view function;
    if (h.kasan_access && !h.header_function.empty()) {
        function = normalize_function(h.header_function);
    } else if (guilty >= 0) {
        function = replacement.empty() ? names[static_cast<std::size_t>(guilty)] : replacement;
        r.module = std::string(kept[static_cast<std::size_t>(guilty)].module);
    } else if (!h.header_function.empty()) {
        function = normalize_function(h.header_function);
        r.module = std::string(h.header_module);
    }
    if (r.module.empty() && guilty >= 0) {
        // The first module-owned frame just below the guilty one names the driver involved.
        for (std::size_t i = static_cast<std::size_t>(guilty); i < kept.size() && i < static_cast<std::size_t>(guilty) + 8; ++i) {
            if (!kept[i].module.empty()) {
                r.module = std::string(kept[i].module);
                break;
            }
        }
    }
    if (r.module.empty() && function == normalize_function(h.header_function)) r.module = std::string(h.header_module);
    r.function = std::string(function);
    r.corrupted = h.stack != StackRule::None && function.empty();

    std::string fmt = h.title_fmt;
    if (const auto a = fmt.find("{access}"); a != std::string::npos) {
        std::string access;
        for (const auto& l : o.lines) {
            if (has(l, "Read of size") || has(l, "Read at addr")) { access = " Read"; break; }
            if (has(l, "Write of size") || has(l, "Write at addr")) { access = " Write"; break; }
        }
        fmt.replace(a, 8, access);
    }
    r.title = format_title(std::move(fmt), strip_syscall_prefix(function));

    if (guilty >= 0 && h.pick == FramePick::First) {
        for (std::size_t i = static_cast<std::size_t>(guilty); i < names.size() && r.frames.size() < k_fingerprint_frames; ++i)
            r.frames.emplace_back(names[i]);
    } else if (!function.empty()) {
        r.frames.emplace_back(function);
    }
    Sha256 sha;
    sha.update(r.klass);
    sha.update("\n");
    sha.update(r.title);
    for (const auto& f : r.frames) {
        sha.update("\n");
        sha.update(f);
    }
    r.fingerprint = sha.hex_digest();

    const std::size_t keep = std::min(o.lines.size(), k_max_text_lines);
    r.text.assign(std::make_move_iterator(o.lines.begin()), std::make_move_iterator(o.lines.begin() + static_cast<std::ptrdiff_t>(keep)));
    return r;
}

}  // namespace besrig::kmsg
