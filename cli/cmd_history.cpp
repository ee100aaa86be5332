// besrig history [--patch P] [--kind K] [--since WHEN] [--limit N]
#include <CLI/CLI.hpp>
#include <ctime>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"
#include "util/table.hpp"
#include "util/terminal.hpp"

namespace besrig {
namespace {

struct HistoryOptions {
    std::string patch;
    std::string kind;
    std::string since;
    int limit = 50;
};

// "7d" (days ago), "12h", or a UTC date "2026-11-01".
double parse_since(const std::string& s) {
    if (s.size() >= 2 && (s.back() == 'd' || s.back() == 'h')) {
        if (auto n = parse_int(s.substr(0, s.size() - 1)); n && *n >= 0)
            return unix_now() - static_cast<double>(*n) * (s.back() == 'd' ? 86400.0 : 3600.0);
    }
    std::tm tm{};
    if (::strptime(s.c_str(), "%Y-%m-%d", &tm) && s.size() == 10) return static_cast<double>(::timegm(&tm));
    throw_usage("--since " + printable(s) + ": expected a date (2026-11-01) or an age (7d, 12h)");
}

std::string utc(double t) {
    const auto secs = static_cast<std::time_t>(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

int history(Context& ctx, const HistoryOptions& o) {
    RunFilter f;
    if (!o.patch.empty()) f.patch = o.patch;
    if (!o.kind.empty()) f.kind = o.kind;
    if (!o.since.empty()) f.since = parse_since(o.since);
    f.limit = o.limit;
    const auto runs = ctx.store().runs(f);
    if (ctx.opts.json) {
        auto arr = nlohmann::json::array();
        for (const auto& r : runs) {
            arr.push_back({{"id", r.id}, {"kind", r.kind}, {"patch", r.patch}, {"rig", r.rig},
                           {"profile", r.profile}, {"status", r.status}, {"verdict", r.verdict},
                           {"reason", r.reason}, {"exit_code", r.exit_code ? nlohmann::json(*r.exit_code) : nlohmann::json()},
                           {"is_baseline", r.is_baseline}, {"started_at", r.started_at},
                           {"finished_at", r.finished_at ? nlohmann::json(*r.finished_at) : nlohmann::json()},
                           {"build_sha256", r.build_sha256}, {"kernel_release", r.kernel_release}});
        }
        ctx.console.result(arr.dump(2));
        return 0;
    }
    if (runs.empty()) {
        ctx.console.result("no runs in " + ctx.store_path().string());
        return 0;
    }
    TextTable t({"run", "started (UTC)", "kind", "patch", "profile", "status", "verdict", "exit"});
    for (const auto& r : runs) {
        t.add({std::to_string(r.id), utc(r.started_at), r.kind + (r.is_baseline ? " *" : ""), r.patch, r.profile,
               r.status, r.verdict, r.exit_code ? std::to_string(*r.exit_code) : "-"});
    }
    ctx.console.result(t.render());
    return 0;
}

}  // namespace

void add_history_commands(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<HistoryOptions>();
    auto* cmd = app.add_subcommand("history", "List stored runs, newest first (* marks baselines)");
    cmd->add_option("--patch", o->patch, "Only runs of this patch");
    cmd->add_option("--kind", o->kind, "Only runs of this kind (phase6, phase7, baseline, ...)");
    cmd->add_option("--since", o->since, "Only runs since a date (2026-11-01) or age (7d, 12h)");
    cmd->add_option("--limit", o->limit, "At most this many runs")->check(CLI::Range(1, 1000000));
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return history(ctx, *o); }; });
}

}  // namespace besrig
