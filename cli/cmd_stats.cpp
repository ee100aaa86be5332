// besrig stats simulate: the proof that the comparison statistics keep their
// promises, by simulation (issue 9). Prints the goal table at N reps and a
// sweep over N saying which goals N = 3 cannot reach and what N would.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "reports/stats/simulation.hpp"
#include "util/error.hpp"
#include "util/table.hpp"

namespace besrig {
namespace {

struct SimulateOptions {
    int reps = 3;
    std::vector<int> steps{1, 2, 16};
    std::vector<double> cv_pct{2.0, 5.0};
    double rep_cv_pct = 0.0;
    int trials = 4000;
    int sweep_trials = 2000;
    std::uint64_t seed = 1;
    bool sweep = true;
    std::string expect = "no-delta";
};

std::string pct(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", 100.0 * v);
    return buf;
}

std::string mark(bool ok) { return ok ? " ok" : " MISS"; }

std::string n_or_more(const std::optional<int>& n, int max) {
    return n ? std::to_string(*n) : "> " + std::to_string(max);
}

std::string scenario(int steps, double cv, double rep_cv) {
    char buf[96];
    if (rep_cv > 0)
        std::snprintf(buf, sizeof buf, "%d step%s, CV %g %%, rep CV %g %%", steps, steps == 1 ? "" : "s", cv, rep_cv);
    else
        std::snprintf(buf, sizeof buf, "%d step%s, CV %g %%", steps, steps == 1 ? "" : "s", cv);
    return buf;
}

int simulate_command(Context& ctx, const SimulateOptions& o) {
    stats::SimulationSetup base;
    base.reps = o.reps;
    base.trials = o.trials;
    base.seed = o.seed;
    base.rep_cv = o.rep_cv_pct / 100.0;
    const auto& cmp = ctx.rig().compare;
    base.rule.margin = cmp.margin_pct / 100.0;
    base.rule.noise_band = cmp.noise_band_pct / 100.0;
    base.rule.confidence = cmp.confidence;
    const auto e = stats::parse_expect(o.expect);
    if (!e) throw_usage("--expect " + o.expect + ": expected no-delta, improve or any");
    base.rule.expect = *e;

    char head[256];
    std::snprintf(head, sizeof head,
                  "simulated comparisons: N = %d reps per run, %d trials per cell, seed %llu, expect %s, "
                  "margin +-%g %%, noise band %g %%, %g %% intervals",
                  o.reps, o.trials, static_cast<unsigned long long>(o.seed), o.expect.c_str(), cmp.margin_pct,
                  cmp.noise_band_pct, 100 * cmp.confidence);
    ctx.console.result(head);
    TextTable t({"scenario", "EQUIV | d=0", "false REGR/IMPR | d=0 (<=5 %)", "false EQUIV | d=+-5 % (<=5 %)",
                 "power | d=+-10 % (>=90 %)"});
    for (int k : o.steps) {
        for (double cv : o.cv_pct) {
            auto s = base;
            s.steps = k;
            s.cv = cv / 100.0;
            const auto g = stats::simulate_goals(s);
            t.add({scenario(k, cv, o.rep_cv_pct), pct(g.equivalent_at_0), pct(g.false_change_at_0) + mark(g.meets_false_change()),
                   pct(g.false_equivalent_at_5) + mark(g.meets_false_equivalent()), pct(g.power_at_10) + mark(g.meets_power())});
        }
    }
    ctx.console.result(t.render());
    ctx.console.result("(+-5 %/+-10 % columns: the worse of the two signs; power: the right direction called)");
    if (!o.sweep) return 0;

    const std::vector<int> ns{2, 3, 4, 5, 6, 8, 10, 12, 15, 20};
    ctx.console.result("\nsmallest N (from 2, 3, 4, 5, 6, 8, 10, 12, 15, 20) meeting each goal, " +
                       std::to_string(o.sweep_trials) + " trials per cell:");
    TextTable sw({"scenario", "false REGR/IMPR <=5 %", "false EQUIV <=5 %", "power >=90 %", "all three",
                  "EQUIV | d=0 at that N", "EQUIV | d=0 >=80 %"});
    for (int k : o.steps) {
        for (double cv : o.cv_pct) {
            auto s = base;
            s.steps = k;
            s.cv = cv / 100.0;
            s.trials = o.sweep_trials;
            const auto r = stats::sweep_reps(s, ns);
            std::string eq = "-";
            for (std::size_t i = 0; i < r.reps.size(); ++i)
                if (r.n_all && r.reps[i] == *r.n_all) eq = pct(r.goals[i].equivalent_at_0);
            sw.add({scenario(k, cv, o.rep_cv_pct), n_or_more(r.n_false_change, ns.back()),
                    n_or_more(r.n_false_equivalent, ns.back()), n_or_more(r.n_power, ns.back()),
                    n_or_more(r.n_all, ns.back()), eq, n_or_more(r.n_equivalent, ns.back())});
        }
    }
    ctx.console.result(sw.render());
    return 0;
}

}  // namespace

void add_stats_commands(CLI::App& app, Context& ctx) {
    auto* stats_cmd = app.add_subcommand("stats", "Statistics tools");
    stats_cmd->require_subcommand(1);
    auto o = std::make_shared<SimulateOptions>();
    auto* sim = stats_cmd->add_subcommand(
        "simulate", "Simulate thousands of comparisons with known effects; report error rates and power");
    sim->add_option("--reps", o->reps, "Reps per run (default 3)")->check(CLI::Range(2, 1000));
    sim->add_option("--steps", o->steps, "Steps per profile, one scenario each (default 1 2 16: besser, demo, ramp)")
        ->check(CLI::Range(1, 1000));
    sim->add_option("--cv", o->cv_pct, "Per-step rep-to-rep coefficient of variation, percent (default 2 5)")
        ->check(CLI::Range(0.0, 100.0));
    sim->add_option("--rep-cv", o->rep_cv_pct, "Noise shared by all steps of a rep, CV percent (default 0)")
        ->check(CLI::Range(0.0, 100.0));
    sim->add_option("--trials", o->trials, "Simulated comparisons per cell (default 4000)")
        ->check(CLI::Range(10, 10000000));
    sim->add_option("--sweep-trials", o->sweep_trials, "Trials per cell in the N sweep (default 2000)")
        ->check(CLI::Range(10, 10000000));
    sim->add_option("--seed", o->seed, "RNG seed (same seed, same figures)");
    sim->add_flag("!--no-sweep", o->sweep, "Skip the sweep over N");
    sim->add_option("--expect", o->expect, "Decision rule: no-delta (default), improve or any");
    sim->callback([&ctx, o] { ctx.action = [&ctx, o] { return simulate_command(ctx, *o); }; });
}

}  // namespace besrig
