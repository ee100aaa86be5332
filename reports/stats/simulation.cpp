#include "reports/stats/simulation.hpp"

#include <cmath>
#include <numbers>
#include <random>

#include "reports/stats/comparison.hpp"

namespace besrig::stats {
namespace {

// Normal deviates by Box–Muller from 53-bit uniforms; deterministic per seed.
class NormalSource {
public:
    explicit NormalSource(std::uint64_t seed) : rng_(seed) {}
    double next() {
        if (have_spare_) {
            have_spare_ = false;
            return spare_;
        }
        double u1 = uniform();
        while (u1 <= 0) u1 = uniform();
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        spare_ = r * std::sin(2.0 * std::numbers::pi * u2);
        have_spare_ = true;
        return r * std::cos(2.0 * std::numbers::pi * u2);
    }

private:
    double uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
    std::mt19937_64 rng_;
    double spare_ = 0;
    bool have_spare_ = false;
};

RunSeries simulated_run(const SimulationSetup& s, double delta, NormalSource& z) {
    RunSeries run;
    const auto k = static_cast<std::size_t>(s.steps);
    for (std::size_t i = 0; i < k; ++i) run.steps.push_back({"s" + std::to_string(i + 1), i % 2 ? "tx" : "rx"});
    const double sigma = std::sqrt(std::log1p(s.cv * s.cv));
    const double sigma_rep = std::sqrt(std::log1p(s.rep_cv * s.rep_cv));
    for (int r = 0; r < s.reps; ++r) {
        run.rep_ids.push_back(r + 1);
        const double u = sigma_rep * z.next();
        std::vector<double> row;
        for (std::size_t i = 0; i < k; ++i) {
            const double mu = 1.0 + 39.0 * static_cast<double>(i) / static_cast<double>(k);
            row.push_back(mu * (1.0 + delta) * std::exp(u + sigma * z.next()));
        }
        run.values.push_back(std::move(row));
    }
    return run;
}

}  // namespace

std::vector<SimulationCell> simulate(const SimulationSetup& setup, const std::vector<double>& deltas) {
    std::vector<SimulationCell> cells;
    DecisionRule rule = setup.rule;
    rule.estimate_reps = false;
    for (std::size_t d = 0; d < deltas.size(); ++d) {
        SimulationCell cell;
        cell.true_delta = deltas[d];
        cell.trials = setup.trials;
        // A distinct stream per effect: seed mixed with the effect's index.
        NormalSource z(setup.seed * 0x9E3779B97F4A7C15ULL + d + 1);
        for (int t = 0; t < setup.trials; ++t) {
            const auto base = simulated_run(setup, 0.0, z);
            const auto patch = simulated_run(setup, deltas[d], z);
            switch (compare_series(base, patch, rule).decision) {
                case Decision::Equivalent: ++cell.equivalent; break;
                case Decision::Improved: ++cell.improved; break;
                case Decision::Regressed: ++cell.regressed; break;
                case Decision::Inconclusive: ++cell.inconclusive; break;
            }
        }
        cells.push_back(cell);
    }
    return cells;
}

SimulationGoals simulate_goals(const SimulationSetup& setup) {
    const auto c = simulate(setup, {0.0, -0.05, 0.05, -0.10, 0.10});
    SimulationGoals g;
    g.equivalent_at_0 = c[0].rate(c[0].equivalent);
    g.false_change_at_0 = c[0].rate(c[0].improved + c[0].regressed);
    g.false_equivalent_at_5 = std::max(c[1].rate(c[1].equivalent), c[2].rate(c[2].equivalent));
    g.power_at_10 = std::min(c[3].rate(c[3].regressed), c[4].rate(c[4].improved));
    return g;
}

RepsSweep sweep_reps(const SimulationSetup& setup, const std::vector<int>& reps) {
    RepsSweep out;
    for (int n : reps) {
        SimulationSetup s = setup;
        s.reps = n;
        const auto g = simulate_goals(s);
        out.reps.push_back(n);
        out.goals.push_back(g);
        if (!out.n_false_change && g.meets_false_change()) out.n_false_change = n;
        if (!out.n_false_equivalent && g.meets_false_equivalent()) out.n_false_equivalent = n;
        if (!out.n_power && g.meets_power()) out.n_power = n;
        if (!out.n_equivalent && g.equivalent_at_0 >= 0.80) out.n_equivalent = n;
        if (!out.n_all && g.meets_false_change() && g.meets_false_equivalent() && g.meets_power()) out.n_all = n;
    }
    return out;
}

}  // namespace besrig::stats
