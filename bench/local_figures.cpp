#include "bench/local_figures.hpp"

#include <fstream>

#include "bench/measured_child.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace besrig::bench {
namespace {

// The header patterns the classifier looks for, as one extended regex.
const char* k_patterns =
    "WARNING: |BUG: |Oops|general protection fault|Kernel panic - not syncing|INFO: task .* blocked for more than|"
    "INFO: rcu_(preempt|sched|bh) .*stall|soft lockup|hard LOCKUP|UBSAN: |kernel BUG at|Unable to handle kernel|"
    "link break between lmac and host|wait pm ind timeout|sdio read error|---\\[ end ";

struct Best {
    double cpu_s = 0, wall_s = 0;
    bool any = false;
    std::string failure;
};

// Best of three by CPU time (what the work costs; the wall time of a shared
// machine is kept beside it).
Best best_of_three(const std::vector<std::string>& argv, const std::filesystem::path& dir, const std::string& tag,
                   bool grep_semantics) {
    Best b;
    for (int i = 0; i < 3; ++i) {
        const auto u = run_measured(argv, dir, tag, std::chrono::minutes(5));
        const bool ok = u.ok() || (grep_semantics && u.term_signal == 0 && !u.timed_out && u.exit_code == 1);
        if (!ok) {
            b.failure = argv[0] + " " + u.describe() + ": " + u.err;
            return b;
        }
        if (!b.any || u.cpu_s < b.cpu_s) {
            b.cpu_s = u.cpu_s;
            b.wall_s = u.wall_s;
            b.any = true;
        }
    }
    return b;
}

}  // namespace

Figure triage_figure(const LocalInputs& in) {
    Figure f;
    f.name = "triage";
    f.label = "(g) triage time / grep -E time";
    f.unit = "x";
    f.goal_op = "<=";
    f.goal = 2.0;
    std::error_code ec;
    const auto seed_bytes = std::filesystem::file_size(in.triage_seed, ec);
    if (ec || seed_bytes == 0) {
        f.note = "cannot read the seed log " + in.triage_seed.string();
        return f;
    }
    const auto big = in.work / "triage-big.log";
    {
        const std::string seed = read_file(in.triage_seed);
        std::ofstream out(big, std::ios::binary);
        const auto copies = static_cast<std::uintmax_t>(in.triage_mb) * 1024 * 1024 / seed_bytes + 1;
        for (std::uintmax_t i = 0; i < copies; ++i) out << seed;
        if (!out) throw_infra("bench: cannot write " + big.string());
    }
    const double mb = static_cast<double>(std::filesystem::file_size(big)) / 1048576.0;
    const auto empty_config = in.work / "empty-config.json";
    write_file_atomic(empty_config, "{}\n");
    // grep in its fastest mode (C locale) counting matches: no output cost.
    const auto grep = best_of_three({"env", "LC_ALL=C", "grep", "-E", "-c", k_patterns, big.string()}, in.work,
                                    "triage-grep", true);
    // besrig: record parsing, classification, titles, fingerprints, JSON out.
    const auto ours = best_of_three({in.besrig.string(), "--config", empty_config.string(), "--json", "triage",
                                     big.string()},
                                    in.work, "triage-besrig", false);
    if (!grep.any || !ours.any) {
        f.note = "did not run: " + (grep.any ? ours.failure : grep.failure);
        return f;
    }
    const double g = std::max(grep.cpu_s, 0.001), b = std::max(ours.cpu_s, 0.001);
    f.value = b / g;
    char note[200];
    std::snprintf(note, sizeof note, "%.0f MB: besrig %.1f MB/s, grep %.1f MB/s (CPU, best of 3); wall ratio %.2f", mb,
                  mb / b, mb / g, ours.wall_s / std::max(grep.wall_s, 0.001));
    f.note = note;
    f.detail = {{"input", in.triage_seed.string()}, {"mbytes", mb},
                {"grep", {{"cpu_s", grep.cpu_s}, {"wall_s", grep.wall_s}, {"mbytes_per_s", mb / g}}},
                {"besrig", {{"cpu_s", ours.cpu_s}, {"wall_s", ours.wall_s}, {"mbytes_per_s", mb / b}}},
                {"wall_ratio", ours.wall_s / std::max(grep.wall_s, 0.001)}};
    std::filesystem::remove(big, ec);
    return f;
}

Figure history_figure(const LocalInputs& in) {
    Figure f;
    f.name = "history";
    f.label = "(j) slowest of history / nightly on 10k runs";
    f.unit = "ms";
    f.goal_op = "<";
    f.goal = 100;
    if (!std::filesystem::exists(in.history_bench)) {
        f.note = "history_bench not built at " + in.history_bench.string() + " (built with the tests)";
        return f;
    }
    const auto json_path = in.work / "history.json";
    const auto u = run_measured({in.history_bench.string(), "--runs", std::to_string(in.history_runs), "--store",
                                 (in.work / "history.db").string(), "--json", json_path.string()},
                                in.work, "history", std::chrono::minutes(10));
    if (!u.ok()) {
        f.note = "history_bench " + u.describe() + ": " + u.err;
        return f;
    }
    const auto j = nlohmann::json::parse(read_file(json_path), nullptr, false);
    if (!j.is_object() || !j.contains("ms") || !j["ms"].is_object()) {
        f.note = "history_bench wrote no figures to " + json_path.string();
        return f;
    }
    double worst = 0;
    std::string worst_name;
    for (const auto& [what, ms] : j["ms"].items()) {
        // The 90-night window is an extra, not the goal's query.
        if (what.find("--nights 90") != std::string::npos) continue;
        if (ms.get<double>() > worst) {
            worst = ms.get<double>();
            worst_name = what;
        }
    }
    f.value = worst;
    f.note = std::to_string(j.value("runs", 0)) + " runs, medians; slowest: " + worst_name;
    f.detail = j;
    return f;
}

}  // namespace besrig::bench
