// besrig report RUN [--format markdown|html|json|junit] [-o FILE]
// besrig report --nightly [--nights N] [--format markdown|html|json] [-o FILE]
// besrig show RUN
// RUN is a run id or "latest".
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "reports/render/html.hpp"
#include "reports/render/json_report.hpp"
#include "reports/render/junit.hpp"
#include "reports/render/markdown.hpp"
#include "reports/render/model.hpp"
#include "reports/render/nightly.hpp"
#include "reports/render/show.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

struct ReportOptions {
    std::string run;
    std::string format = "markdown";
    std::string output;
    bool nightly = false;
    int nights = 14;
    double margin_pct = 3.0;
};

std::int64_t resolve_run(Store& store, const std::string& text) {
    if (text == "latest") {
        RunFilter f;
        f.limit = 1;
        const auto runs = store.runs(f);
        if (runs.empty()) throw_usage("no runs in " + store.path().string() + " yet");
        return runs.front().id;
    }
    const auto id = parse_int(text);
    if (!id || *id <= 0) throw_usage("run " + printable(text) + ": expected a run id (see besrig history) or 'latest'");
    return *id;
}

void emit(Context& ctx, const std::string& output, const std::string& text) {
    if (output.empty() || output == "-") {
        ctx.console.result(ends_with(text, "\n") ? text.substr(0, text.size() - 1) : text);
        return;
    }
    write_file_atomic(expand_home(output), text);
    ctx.console.info("wrote " + output);
}

int run_report(Context& ctx, const ReportOptions& o) {
    const std::string format = ctx.opts.json ? "json" : o.format;
    if (o.nightly) {
        if (!o.run.empty()) throw_usage("report --nightly takes no RUN");
        if (format == "junit") throw_usage("report --nightly: --format junit is for single runs");
        report::NightlyOptions no;
        no.nights = o.nights;
        no.margin_pct = o.margin_pct;
        const auto n = report::load_nightly(ctx.store(), no);
        std::string text = format == "html" ? report::render_nightly_html(n)
                           : format == "json" ? report::nightly_json(n).dump(2) + "\n"
                                              : report::render_nightly_markdown(n);
        emit(ctx, o.output, text);
        return n.exit_code;
    }
    if (o.run.empty()) throw_usage("report: which run? give a run id (see besrig history), 'latest', or --nightly");
    const auto model = load_report_model(ctx.store(), resolve_run(ctx.store(), o.run));
    std::string text;
    if (format == "markdown") text = report::render_markdown(model);
    else if (format == "html") text = report::render_html(model);
    else if (format == "json") text = report::report_json(model).dump(2) + "\n";
    else text = report::render_junit(model);
    emit(ctx, o.output, text);
    return 0;
}

int show(Context& ctx, const std::string& run) {
    const auto model = load_report_model(ctx.store(), resolve_run(ctx.store(), run));
    if (ctx.opts.json) {
        ctx.console.result(report::report_json(model).dump(2));
        return 0;
    }
    ctx.console.result(report::render_show(model));
    return 0;
}

}  // namespace

void add_report_commands(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ReportOptions>();
    auto* cmd = app.add_subcommand("report", "Render a run's report (Markdown verdict comment, HTML, JSON, JUnit) "
                                             "or the nightly trend");
    cmd->add_option("run", o->run, "Run id (see besrig history) or 'latest'");
    cmd->add_option("--format", o->format, "markdown (default), html, json or junit")
        ->check(CLI::IsMember({"markdown", "html", "json", "junit"}));
    cmd->add_option("-o,--output", o->output, "Write to this file instead of stdout");
    cmd->add_flag("--nightly", o->nightly, "The nightly trend of every tracked patch (exit 1 when one regressed)");
    cmd->add_option("--nights", o->nights, "Nights in the nightly trend (default 14)")->check(CLI::Range(1, 3650));
    cmd->add_option("--margin", o->margin_pct, "Nightly: % a night must move beyond last week's median (default 3)")
        ->check(CLI::Range(0.1, 100.0));
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_report(ctx, *o); }; });

    auto run = std::make_shared<std::string>();
    auto* sh = app.add_subcommand("show", "A compact summary of one run");
    sh->add_option("run", *run, "Run id (see besrig history) or 'latest'")->required();
    sh->callback([&ctx, run] { ctx.action = [&ctx, run] { return show(ctx, *run); }; });
}

}  // namespace besrig
