// besrig run phase6|phase7|all, besrig baseline, besrig rollback, besrig forensics
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/rig_session.hpp"
#include "driver/bundle/build_gate.hpp"
#include "phases/phase6/deploy_gate.hpp"
#include "phases/phase7/launch.hpp"
#include "phases/phase7/protocol.hpp"
#include "phases/rollback.hpp"
#include "reports/store/store.hpp"
#include "util/error.hpp"
#include "util/interrupt.hpp"
#include "util/process.hpp"
#include "util/strings.hpp"
#include "util/table.hpp"
#include "util/terminal.hpp"

namespace besrig {
namespace {

struct RunOptions {
    std::string patch;
    std::string profile;
    int reps = 0;
    std::int64_t baseline = 0;
    bool interleave = false;
    std::string expect;
    bool no_prediction = false;
    std::int64_t run = 0;
};

void print_verdict(Context& ctx, std::int64_t run_id, const Verdict& v, const nlohmann::json& details) {
    if (ctx.opts.json) {
        ctx.console.result(nlohmann::json{{"run", run_id}, {"verdict", v.name}, {"reason", v.reason},
                                          {"exit_code", v.exit_code}, {"details", details}}
                               .dump(2));
        return;
    }
    const bool good = v.exit_code == 0;
    ctx.console.result("");
    ctx.console.result((good ? ctx.console.green(v.name) : ctx.console.red(v.name)) + " — run " +
                       std::to_string(run_id) + ": " + v.reason);
    if (details.contains("comparison") && details["comparison"].contains("steps")) {
        for (const auto& s : details["comparison"]["steps"]) {
            std::string line = "  " + s.value("step", "?") + " (" + s.value("direction", "?") + "): baseline " +
                               std::to_string(s.value("base_mean", 0.0)).substr(0, 5) + " MB/s, patch " +
                               std::to_string(s.value("patch_mean", 0.0)).substr(0, 5) + " MB/s";
            if (s.contains("ratio"))
                line += ", ratio " + std::to_string(s["ratio"].get<double>()).substr(0, 5) + " [" +
                        std::to_string(s["lo"].get<double>()).substr(0, 5) + ", " +
                        std::to_string(s["hi"].get<double>()).substr(0, 5) + "]";
            ctx.console.result(line);
        }
    }
    ctx.console.result("  report: besrig report " + std::to_string(run_id) + " --format markdown");
}

int run_phase7(Context& ctx, const RunOptions& o, bool baseline) {
    install_interrupt_handlers();
    const auto& rig = ctx.rig();
    phase7::Request r;
    r.patch = baseline ? rig.rollback_patch : o.patch;
    check_patch_name(r.patch);  // before the session: a bad name never reaches the board
    r.profile = o.profile.empty() ? rig.phase7.profile : o.profile;
    r.reps = o.reps > 0 ? o.reps : rig.phase7.reps;
    r.is_baseline = baseline;
    if (o.baseline > 0) r.baseline_run = o.baseline;
    r.interleave = o.interleave;
    r.bisect = ctx.opts.bisect;
    r.command = ctx.command_line();
    if (!baseline) {
        const bool predicted = phase7::has_prediction(ctx.store(), r.patch);
        if (!predicted && !o.no_prediction)
            throw_usage("patch '" + r.patch + "' has no Phase 5 prediction: record one with `besrig run phase5 --patch " +
                        r.patch + " --predict throughput=0%±3%` (or run with --no-prediction, and the verdict says so)");
        r.expect = phase7::resolve_expect(ctx.store(), r.patch, o.expect);
        if (predicted) phase7::freeze_prediction(ctx.store(), r.patch);
    }
    const auto& profile = rig.profile(r.profile);
    double seconds = 0;
    for (const auto& s : profile.steps) seconds += s.seconds;
    ctx.console.info((baseline ? "Phase 3 baseline" : "Phase 7") + std::string(" on board ") + rig.board.name +
                     ": profile " + r.profile + " (" + std::to_string(profile.steps.size()) + " step(s), " +
                     format_seconds(seconds) + " of stress per repetition) × " + std::to_string(r.reps) +
                     (o.no_prediction && !baseline ? "; NO PREDICTION (--no-prediction)" : ""));
    RigSession session(ctx, r.patch);
    phase7::Ports ports{session.board(), session.traffic(), session.log(), session.evidence(), session.evidence(),
                        session.power(), &session.comparator(), {}, {}};
    phase7::Protocol protocol(rig, ctx.store(), session.bundle(), ports, ctx.console);
    auto out = protocol.run(r);
    if (o.no_prediction && !baseline) out.verdict.reason += " (no Phase 5 prediction: --no-prediction)";
    print_verdict(ctx, out.run_id, out.verdict, out.details);
    return out.verdict.exit_code;
}

BuildRecord build_or_reuse(Context& ctx, Bundle& bundle, const std::string& patch) {
    LocalProcessRunner runner;
    return build_patch(ctx.rig(), bundle, runner, patch, false, ctx.console).build;
}

int run_phase6(Context& ctx, const RunOptions& o) {
    install_interrupt_handlers();
    check_patch_name(o.patch);  // before the session: a bad name never reaches the board
    RigSession session(ctx, o.patch);
    phase6::DeployGate gate(ctx.rig(), ctx.store(), session.bundle(), session.board(), session.traffic(), session.log(),
                            [&](const std::string& p) { return build_or_reuse(ctx, session.bundle(), p); }, ctx.console);
    phase6::Request r;
    r.patch = o.patch;
    r.bisect = ctx.opts.bisect;
    r.command = ctx.command_line();
    const auto out = gate.run(r);
    print_verdict(ctx, out.run_id, out.verdict, nlohmann::json::object());
    return out.verdict.exit_code;
}

int run_all(Context& ctx, const RunOptions& o) {
    const int rc = run_phase6(ctx, o);
    if (rc != 0) return rc;
    return run_phase7(ctx, o, false);
}

int rollback(Context& ctx) {
    RigSession session(ctx, "rollback");
    auto rb = session.bundle().latest(ctx.rig().rollback_patch);
    if (!rb)
        throw_usage("no build of the rollback patch '" + ctx.rig().rollback_patch + "' in the bundle; run `besrig build --patch " +
                    ctx.rig().rollback_patch + "`");
    session.bundle().verified_file(*rb);
    const auto r = phases::roll_back(session.board(), *rb, ctx.store(), std::nullopt, ctx.console);
    if (r.proven)
        for (const auto& run : ctx.store().rollback_pending()) ctx.store().set_rollback_pending(run.id, false);
    return r.proven ? 0 : exit_code::usage_or_infra;
}

int forensics(Context& ctx, const RunOptions& o) {
    std::int64_t run_id = o.run;
    if (run_id == 0) {
        NewRun nr;
        nr.kind = "forensics";
        nr.rig = ctx.rig().board.name;
        nr.command = ctx.command_line();
        run_id = ctx.store().begin_run(nr);
    } else if (!ctx.store().run(run_id)) {
        throw_usage("no run " + std::to_string(run_id));
    }
    RigSession session(ctx, "running");
    session.evidence().freeze_and_save(run_id, "forensics");
    const int ok = session.evidence().collect(run_id, "besrig forensics");
    Stmt q(ctx.store().db(), "SELECT name, size, status, seconds, path FROM artifacts WHERE run_id = ?1 ORDER BY id");
    q.bind(1, run_id);
    TextTable t({"item", "bytes", "status", "seconds", "file"});
    while (q.step())
        t.add({q.get_text(0), std::to_string(q.get_int(1)), q.get_text(2), std::to_string(q.get_double(3)).substr(0, 4),
               q.get_text(4)});
    ctx.console.result(t.render());
    if (o.run == 0) ctx.store().finish_run(run_id, ok > 0 ? "COLLECTED" : "INFRA_ERROR", std::to_string(ok) + " item(s)", ok > 0 ? 0 : 2);
    return ok > 0 ? 0 : exit_code::usage_or_infra;
}

void phase7_options(CLI::App* c, RunOptions& o) {
    c->add_option("--profile", o.profile, "Stress profile (default: phase7.profile)");
    c->add_option("--reps", o.reps, "Repetitions (default: phase7.reps)")->check(CLI::Range(1, 1000));
    c->add_option("--baseline", o.baseline, "Compare with this run (default: the latest matching baseline)");
    c->add_flag("--interleave", o.interleave, "Alternate baseline and patch repetitions in this run");
    c->add_option("--expect", o.expect, "no-delta | improve | any (default: from the Phase 5 prediction)")
        ->check(CLI::IsMember({"no-delta", "improve", "any"}));
    c->add_flag("--no-prediction", o.no_prediction, "Run without a Phase 5 prediction (the verdict says so)");
}

}  // namespace

void add_run_commands(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<RunOptions>();
    auto* run = app.add_subcommand("run", "Run a protocol phase against the board");
    run->require_subcommand(1);
    auto* p6 = run->add_subcommand("phase6", "Build gate, verified deploy, load, smoke traffic; rollback on failure");
    p6->add_option("--patch", o->patch, "Patch name")->required();
    p6->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_phase6(ctx, *o); }; });
    auto* p7 = run->add_subcommand("phase7", "Stress N repetitions, watch the kernel log, verdict vs the baseline");
    p7->add_option("--patch", o->patch, "Patch name")->required();
    phase7_options(p7, *o);
    p7->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_phase7(ctx, *o, false); }; });
    auto* all = run->add_subcommand("all", "Phase 6 then Phase 7, stopping at the first failure");
    all->add_option("--patch", o->patch, "Patch name")->required();
    phase7_options(all, *o);
    all->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_all(ctx, *o); }; });

    auto* base = app.add_subcommand("baseline", "Phase 3: the Phase 7 protocol on the rollback build, marked as baseline");
    base->add_option("--profile", o->profile, "Stress profile (default: phase7.profile)");
    base->add_option("--reps", o->reps, "Repetitions (default: phase7.reps)")->check(CLI::Range(1, 1000));
    base->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_phase7(ctx, *o, true); }; });

    app.add_subcommand("rollback", "Install and load the rollback build and prove it is running")
        ->callback([&ctx] { ctx.action = [&ctx] { return rollback(ctx); }; });

    auto* fx = app.add_subcommand("forensics", "Capture logs and state from the board over the management link, no reboot");
    fx->add_option("--run", o->run, "Attach the items to this run (default: a new forensics run)");
    fx->callback([&ctx, o] { ctx.action = [&ctx, o] { return forensics(ctx, *o); }; });
}

}  // namespace besrig
