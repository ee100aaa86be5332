#include "rig/ftrace/ftrace.hpp"

#include <algorithm>
#include <sstream>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

// Finds tracefs; prints its path. Shared by every script below.
constexpr const char* k_find = R"SH(T=/sys/kernel/tracing
[ -e "$T/trace" ] || T=/sys/kernel/debug/tracing
[ -e "$T/trace" ] || { echo "no tracefs at /sys/kernel/tracing or /sys/kernel/debug/tracing" >&2; exit 3; }
)SH";

constexpr const char* k_hist_event = "events/workqueue/workqueue_execute_start";

}  // namespace

std::map<std::string, std::int64_t> parse_function_hist(const std::string& text) {
    std::map<std::string, std::int64_t> out;
    for (const auto& line : split_lines(text)) {
        const auto f = line.find("function:");
        const auto h = line.find("hitcount:");
        if (f == std::string::npos || h == std::string::npos || h < f) continue;
        std::string fn = line.substr(f + 9, h - f - 9);
        const auto close = fn.find(']');
        if (close != std::string::npos) fn = fn.substr(close + 1);  // drop "[address]"
        std::istringstream words(fn);
        std::string name;
        words >> name;
        if (name.empty() || name == "}") continue;
        if (const auto plus = name.find('+'); plus != std::string::npos) name.resize(plus);
        const auto count = parse_int(trim(line.substr(h + 9)));
        if (count) out[name] += *count;
    }
    return out;
}

Ftrace::Ftrace(Remote& remote, const FtraceConfig& config, double command_timeout_s)
    : remote_(remote), config_(config),
      timeout_(std::chrono::milliseconds(static_cast<long long>(command_timeout_s * 1000))) {}

std::string Ftrace::run(const std::string& script, const std::vector<std::string>& args) {
    return run(script, args, timeout_);
}

std::string Ftrace::run(const std::string& script, const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout) {
    auto r = remote_.run_script(std::string(k_find) + script, args, timeout);
    if (!r) throw_infra("ftrace: " + r.error().describe());
    if (r->exit_status != 0)
        throw_infra("ftrace on " + remote_.where() + ": " + printable(trim(r->err.empty() ? r->out : r->err)));
    return r->out;
}

bool Ftrace::arm(std::string& why_not) {
    if (!config_.enabled) {
        why_not = "ftrace.enabled is false in the config";
        return false;
    }
    // $1 buffer size, $2 tracer, $3.. events "system:name".
    std::vector<std::string> args = {std::to_string(config_.buffer_size_kb), config_.tracer};
    for (const auto& e : config_.events) args.push_back(e);
    const std::string script = std::string(R"SH(
echo 0 > "$T/tracing_on"
# Resize only when the size differs: a resize makes the kernel touch every
# CPU's ring buffer, needless on every run after the first.
[ "$(cat "$T/buffer_size_kb" 2>/dev/null)" = "$1" ] || echo "$1" > "$T/buffer_size_kb"
echo "$2" > "$T/current_tracer"
echo > "$T/trace"
shift 2
for ev in "$@"; do
  d="$T/events/${ev%%:*}/${ev#*:}"
  [ -d "$d" ] || { echo "no such trace event: $ev" >&2; exit 4; }
  echo 1 > "$d/enable"
done
H="$T/)SH") + k_hist_event + R"SH("
if [ -e "$H/hist" ]; then
  echo '!hist:keys=function.sym' > "$H/trigger" 2>/dev/null
  echo 'hist:keys=function.sym' > "$H/trigger"
fi
echo 1 > "$T/tracing_on"
[ -e "$H/hist" ] && echo hist || echo nohist
)SH";
    try {
        const auto out = run(script, args);
        armed_ = true;
        last_.clear();
        if (trim(out) != "hist") {
            why_not = "the board's kernel has no hist triggers (CONFIG_HIST_TRIGGERS): dispatch rates not measured";
            return false;
        }
        return true;
    } catch (const Error& e) {
        why_not = e.what();
        return false;
    }
}

std::map<std::string, std::int64_t> Ftrace::take_counts() {
    if (!armed_) return {};
    const auto now_t = std::chrono::steady_clock::now();
    if (counts_paused_until_ && now_t < *counts_paused_until_) return {};
    std::string text;
    try {
        text = run(std::string("cat \"$T/") + k_hist_event + "/hist\"\n", {}, std::min(timeout_, k_count_read_timeout));
        counts_paused_until_.reset();
    } catch (const Error&) {
        counts_paused_until_ = std::chrono::steady_clock::now() + k_count_backoff;
        return {};  // a missed second is "not measured", never zero
    }
    const auto now = parse_function_hist(text);
    std::map<std::string, std::int64_t> delta;
    for (const auto& fn : config_.work_functions) {
        const auto it = now.find(fn);
        const std::int64_t cur = it == now.end() ? 0 : it->second;
        const auto prev = last_.find(fn);
        delta[fn] = prev == last_.end() ? cur : std::max<std::int64_t>(0, cur - prev->second);
        last_[fn] = cur;
    }
    return delta;
}

std::string Ftrace::freeze_and_read() {
    return run("echo 0 > \"$T/tracing_on\"\ncat \"$T/trace\"\n", {});
}

std::optional<std::int64_t> Ftrace::overruns() {
    try {
        const auto out = run("cat \"$T\"/per_cpu/cpu*/stats 2>/dev/null | grep '^overrun:'\n", {});
        std::int64_t total = 0;
        for (const auto& line : split_lines(out))
            if (auto n = parse_int(trim(line.substr(line.find(':') + 1)))) total += *n;
        return total;
    } catch (const Error&) {
        return std::nullopt;
    }
}

void Ftrace::disarm() {
    if (!armed_) return;
    std::vector<std::string> args;
    for (const auto& e : config_.events) args.push_back(e);
    try {
        run(std::string("H=\"$T/") + k_hist_event + "\"\n" +
                R"SH([ -e "$H/trigger" ] && echo '!hist:keys=function.sym' > "$H/trigger" 2>/dev/null
for ev in "$@"; do d="$T/events/${ev%%:*}/${ev#*:}"; [ -d "$d" ] && echo 0 > "$d/enable"; done
echo 1 > "$T/tracing_on"
)SH",
            args);
    } catch (const Error&) {
    }
    armed_ = false;
}

}  // namespace besrig
