// besrig compare [RUN_A] RUN_B [--expect no-delta|improve|any] [--margin PCT] ...
// RUN_B (the patch run) against RUN_A (the baseline); with one run, against the
// baseline that run recorded, else the latest baseline of its rig, kernel and profile.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "phases/compare/compare_runs.hpp"
#include "phases/compare/comparison_text.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

struct CompareOptions {
    std::vector<std::int64_t> runs;
    std::string expect = "no-delta";
    std::optional<double> margin_pct;
    std::optional<double> noise_band_pct;
    std::optional<double> confidence;
};

stats::DecisionRule rule_from(const RigConfig& cfg, const CompareOptions& o) {
    stats::DecisionRule r;
    const auto e = stats::parse_expect(o.expect);
    if (!e) throw_usage("--expect " + printable(o.expect) + ": expected no-delta, improve or any");
    r.expect = *e;
    const double margin = o.margin_pct.value_or(cfg.compare.margin_pct);
    const double band = o.noise_band_pct.value_or(cfg.compare.noise_band_pct);
    const double conf = o.confidence.value_or(cfg.compare.confidence);
    if (!(margin > 0 && margin < 100)) throw_usage("margin " + std::to_string(margin) + " %: expected 0 < margin < 100");
    if (!(band >= 0 && band < 100)) throw_usage("noise band " + std::to_string(band) + " %: expected 0 <= band < 100");
    if (!(conf > 0.5 && conf < 1)) throw_usage("confidence " + std::to_string(conf) + ": expected 0.5 < c < 1");
    r.margin = margin / 100.0;
    r.noise_band = band / 100.0;
    r.confidence = conf;
    return r;
}

int compare_command(Context& ctx, const CompareOptions& o) {
    const auto rule = rule_from(ctx.rig(), o);
    auto& store = ctx.store();
    std::int64_t base = 0;
    std::int64_t patch = 0;
    if (o.runs.size() == 2) {
        base = o.runs[0];
        patch = o.runs[1];
    } else {
        patch = o.runs[0];
        const auto run = store.run(patch);
        if (!run) throw_usage("no run " + std::to_string(patch) + " in " + store.path().string() + " (see besrig history)");
        if (run->baseline_run) {
            base = *run->baseline_run;
        } else if (auto b = compare::latest_baseline_for(store, *run)) {
            base = *b;
        } else {
            throw_usage("run " + std::to_string(patch) + " names no baseline and there is no finished baseline of rig " +
                        run->rig + ", kernel " + run->kernel_release + ", profile " + run->profile +
                        "; give both runs: besrig compare BASELINE_RUN " + std::to_string(patch));
        }
    }
    const auto c = compare::compare_runs(store, base, patch, rule);
    if (ctx.opts.json) ctx.console.result(compare::to_json(c).dump(2));
    else ctx.console.result(compare::render_text(c));
    return c.exit_code(ctx.opts.bisect);
}

}  // namespace

void add_compare_commands(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<CompareOptions>();
    auto* cmd = app.add_subcommand(
        "compare", "Compare a patch run's throughput and kernel log with a baseline run (RUN_B against RUN_A)");
    cmd->add_option("runs", o->runs, "RUN_A RUN_B (baseline, patch), or one patch run to use its baseline")
        ->required()
        ->expected(1, 2);
    cmd->add_option("--expect", o->expect, "no-delta (TOST equivalence, default), improve (one-sided) or any");
    cmd->add_option("--margin", o->margin_pct, "Equivalence margin in percent (default compare.margin_pct, 3)");
    cmd->add_option("--noise-band", o->noise_band_pct, "Smallest change called a change, percent (default 1)");
    cmd->add_option("--confidence", o->confidence, "Interval confidence (default compare.confidence, 0.90)");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return compare_command(ctx, *o); }; });
}

}  // namespace besrig
