// besrig run phase5 --patch P --predict METRIC=RANGE... [--baseline RUN] [--output FILE]
// besrig review approve|reject --patch P [--note TEXT]
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "phases/phase5/predictions_store.hpp"
#include "phases/phase5/review_packet.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

struct Phase5Options {
    std::string patch;
    std::vector<std::string> predict;
    std::optional<std::int64_t> baseline;
    std::string output;
};

struct ReviewOptions {
    std::string decision;
    std::string patch;
    std::string note;
};

int phase5_command(Context& ctx, const Phase5Options& o) {
    std::vector<stats::Prediction> preds;
    for (const auto& text : o.predict) {
        std::string error;
        auto p = stats::parse_prediction(text, error);
        if (!p) throw_usage("--predict: " + error);
        preds.push_back(*p);
    }
    const auto& cfg = ctx.rig();
    auto& store = ctx.store();
    auto baseline = o.baseline;
    if (!baseline) baseline = phase5::latest_baseline(store, cfg.board.name, cfg.phase7.profile);
    if (baseline && !store.run(*baseline))
        throw_usage("--baseline " + std::to_string(*baseline) + ": no such run (see besrig history)");

    NewRun nr;
    nr.kind = "phase5";
    nr.patch = o.patch;
    nr.rig = cfg.board.name;
    nr.profile = cfg.phase7.profile;
    nr.command = ctx.command_line();
    nr.baseline_run = baseline;
    const auto run_id = store.begin_run(nr);
    std::string hash;
    try {
        hash = phase5::record_predictions(store, run_id, o.patch, preds, baseline);
    } catch (const Error& e) {
        store.finish_run(run_id, "REFUSED", e.what(), exit_code::usage_or_infra);
        throw;
    }

    phase5::PacketInput in;
    in.patch = o.patch;
    in.predictions = preds;
    in.prediction_hash = hash;
    if (baseline) in.baseline = compare::read_run_data(store, *baseline);
    in.series = phase5::read_patch_series(resolve_data_path(cfg.driver.patches_dir) / o.patch);
    in.profile_name = cfg.phase7.profile;
    if (cfg.profiles.count(cfg.phase7.profile)) in.profile = &cfg.profiles.at(cfg.phase7.profile);
    in.reps = cfg.phase7.reps;
    in.margin_pct = cfg.compare.margin_pct;
    const auto packet = phase5::render_review_packet(in);
    if (!o.output.empty()) {
        write_file_atomic(o.output, packet);
        ctx.console.info("review packet written to " + o.output);
    } else {
        ctx.console.result(packet);
    }
    store.finish_run(run_id, "", "predictions recorded, hash " + hash, exit_code::ok);
    return exit_code::ok;
}

int review_command(Context& ctx, const ReviewOptions& o) {
    phase5::record_review(ctx.store(), o.patch, o.decision, o.note);
    ctx.console.result("review of patch " + o.patch + ": " + o.decision + (o.note.empty() ? "" : " (" + o.note + ")"));
    return exit_code::ok;
}

// The `run` family is shared with other phases; take it if it exists.
CLI::App* run_family(CLI::App& app) {
    for (auto* sub : app.get_subcommands([](CLI::App* a) { return a->get_name() == "run"; })) return sub;
    auto* run = app.add_subcommand("run", "Run a protocol phase (phase5, phase6, phase7)");
    run->require_subcommand(1);
    return run;
}

}  // namespace

void add_phase5_commands(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<Phase5Options>();
    auto* p5 = run_family(app)->add_subcommand(
        "phase5", "Pre-register the predicted delta against the baseline and render the review packet");
    p5->add_option("--patch", o->patch, "The patch (driver/patches/<patch>)")->required();
    p5->add_option("--predict", o->predict,
                   "METRIC=RANGE, repeatable: throughput=0%±3%, throughput=+5%..+15%, splats=0")
        ->required();
    p5->add_option("--baseline", o->baseline, "Baseline run to judge against (default: the latest baseline)");
    p5->add_option("--output", o->output, "Write the review packet (Markdown) here instead of stdout");
    p5->callback([&ctx, o] { ctx.action = [&ctx, o] { return phase5_command(ctx, *o); }; });

    auto r = std::make_shared<ReviewOptions>();
    auto* review = app.add_subcommand("review", "Record the Phase 5 reviewer's decision");
    review->add_option("decision", r->decision, "approve or reject")->required()->check(CLI::IsMember({"approve", "reject"}));
    review->add_option("--patch", r->patch, "The reviewed patch")->required();
    review->add_option("--note", r->note, "The reviewer's note");
    review->callback([&ctx, r] { ctx.action = [&ctx, r] { return review_command(ctx, *r); }; });
}

}  // namespace besrig
