// besrig triage FILE... [--json]: classify saved kernel logs offline.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "rig/kmsg/triage.hpp"
#include "util/strings.hpp"
#include "util/table.hpp"
#include "util/terminal.hpp"

namespace besrig {
namespace {

struct TriageOptions {
    std::vector<std::string> files;
};

std::string seconds(const std::optional<double>& t) {
    if (!t) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", *t);
    return buf;
}

nlohmann::json opt(const std::optional<double>& t) { return t ? nlohmann::json(*t) : nlohmann::json(); }

nlohmann::json to_json(const kmsg::TriageResult& r) {
    auto sigs = nlohmann::json::array();
    for (const auto& s : r.signatures.signatures()) {
        const auto& k = s.first;
        sigs.push_back({{"class", k.klass}, {"title", k.title}, {"function", k.function}, {"module", k.module},
                        {"severity", k.severity}, {"count", s.count}, {"first_time_s", opt(s.first_time_s)},
                        {"last_time_s", opt(s.last_time_s)}, {"first_wall_s", opt(s.first_wall_s)},
                        {"fingerprint", k.fingerprint}, {"frames", k.frames}, {"panicked", k.panicked},
                        {"corrupted", k.corrupted}, {"first_line", k.first_line},
                        // Board text is not trusted to be UTF-8: escape it for JSON.
                        {"header", printable(k.text.empty() ? std::string() : k.text.front(), 300)}});
    }
    auto gaps = nlohmann::json::array();
    for (const auto& g : r.gaps)
        gaps.push_back({{"kind", kmsg::to_string(g.kind)}, {"first_missing", g.first_missing}, {"count", g.count},
                        {"line", g.line_no}});
    return {{"file", r.name}, {"bytes", r.bytes}, {"lines", r.lines}, {"records", r.records},
            {"reports", r.signatures.total()}, {"lost_records", r.lost_records}, {"signatures", sigs}, {"gaps", gaps}};
}

int triage(Context& ctx, const TriageOptions& o) {
    kmsg::ClassifierOptions options;
    options.extra_patterns = ctx.rig().kernel_log.extra_patterns;
    std::vector<kmsg::TriageResult> results;
    for (const auto& f : o.files) results.push_back(kmsg::triage_file(f, options));

    if (ctx.opts.json) {
        auto arr = nlohmann::json::array();
        for (const auto& r : results) arr.push_back(to_json(r));
        ctx.console.result(arr.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
        return 0;
    }
    TextTable t({"file", "class", "title", "module", "count", "first (s)", "last (s)", "fingerprint"});
    for (const auto& r : results) {
        for (const auto& s : r.signatures.signatures()) {
            const auto& k = s.first;
            t.add({r.name, k.klass, printable(k.title, 100), k.module.empty() ? "-" : k.module, std::to_string(s.count),
                   seconds(s.first_time_s), seconds(s.last_time_s), k.short_fingerprint()});
        }
    }
    if (!t.empty()) ctx.console.result(t.render());
    for (const auto& r : results) {
        std::string line = r.name + ": " + std::to_string(r.lines) + " lines, " + std::to_string(r.signatures.total()) +
                           " reports in " + std::to_string(r.signatures.signatures().size()) + " signatures";
        if (!r.gaps.empty()) line += ", " + std::to_string(r.lost_records) + " records lost in " + std::to_string(r.gaps.size()) + " gaps";
        ctx.console.result(line);
        for (const auto& g : r.gaps) {
            std::string gl = "  gap (" + std::string(kmsg::to_string(g.kind)) + ") at line " + std::to_string(g.line_no);
            if (g.count) gl += ": " + std::to_string(g.count) + " records";
            if (g.kind == kmsg::SequenceGap::Kind::Lost || g.kind == kmsg::SequenceGap::Kind::Overrun)
                gl += " from seq " + std::to_string(g.first_missing);
            ctx.console.result(gl);
        }
    }
    return 0;
}

}  // namespace

void add_triage_commands(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<TriageOptions>();
    auto* cmd = app.add_subcommand("triage", "Classify saved kernel logs (dmesg, console, journal or /dev/kmsg dumps)");
    cmd->add_option("files", o->files, "Log files")->required();
    cmd->footer("Prints one row per signature: class, syzkaller-style title, module, count, first/last kernel time\n"
                "and fingerprint. Add --json for a machine-readable list. Lost /dev/kmsg records are reported.");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return triage(ctx, *o); }; });
}

}  // namespace besrig
