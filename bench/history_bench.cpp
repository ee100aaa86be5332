// history_bench [--runs N] [--store PATH] [--json FILE]: seeds a store with N Phase 7 runs
// (default 10,000: 10 tracked patches × 1,000 nights, each with 3 reps × 4
// steps, details_json and verdicts as docs/run-details.md says; per-second
// samples left out to keep seeding quick, neither query reads them) and
// times what a person waits for: `besrig history` (the newest 50, and
// filtered by patch and by age), the nightly trend over 14 nights, and
// loading one run's report model. Prints the median of repeated runs and
// the ratio to the 100 ms goal; asserts nothing (BRIEF §9). --json writes
// the same medians for `besrig bench` ({"runs": N, "ms": {"what": ms}}).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/render/model.hpp"
#include "reports/render/nightly.hpp"
#include "reports/store/store.hpp"
#include "tests/support/fixture_store.hpp"

namespace {

double median_ms(int repeats, const std::function<void()>& f) {
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

std::vector<std::pair<std::string, double>> g_results;  // what --json writes

void print(const char* what, double ms) {
    std::printf("  %-44s %9.2f ms   %5.1f %% of the 100 ms goal\n", what, ms, ms);
    g_results.emplace_back(what, ms);
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 10000;
    std::string path;
    std::string json_path;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--runs") == 0) runs = std::max(10, std::atoi(argv[i + 1]));
        else if (std::strcmp(argv[i], "--store") == 0) path = argv[i + 1];
        else if (std::strcmp(argv[i], "--json") == 0) json_path = argv[i + 1];
    }
    const bool temp = path.empty();
    if (temp) path = (std::filesystem::temp_directory_path() / ("besrig-history-bench-" + std::to_string(::getpid()) + ".db")).string();
    try {
        std::filesystem::remove(path);
        besrig::Store store(path);
        const auto t0 = std::chrono::steady_clock::now();
        const auto story = besrig::fixture::add_story(store);
        besrig::fixture::NightlyOptions o;
        o.patches = {"c-prep", "c-v2", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09"};
        o.nights = (runs + static_cast<int>(o.patches.size()) - 1) / static_cast<int>(o.patches.size());
        o.first_night_at -= (o.nights - 14) * 86400.0;  // the last night stays where the fixture puts it
        const auto ids = besrig::fixture::add_nightly(store, story.baseline, o);
        const double seed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("history_bench: %zu runs (%d nights × %zu patches + 4 story runs) seeded in %.1f s into %s (%.1f MB)\n",
                    ids.size() + 4, o.nights, o.patches.size(), seed_s, path.c_str(),
                    static_cast<double>(std::filesystem::file_size(path)) / 1e6);

        // A fresh connection, as a new `besrig` process would have.
        besrig::Store fresh(path);
        std::size_t rows = 0;
        print("history (newest 50)", median_ms(21, [&] { rows = fresh.runs({}).size(); }));
        besrig::RunFilter by_patch;
        by_patch.patch = "c-v2";
        print("history --patch c-v2", median_ms(21, [&] { rows += fresh.runs(by_patch).size(); }));
        besrig::RunFilter by_age;
        by_age.since = o.first_night_at + (o.nights - 7) * 86400.0;
        by_age.limit = 1000;
        print("history --since 7d --limit 1000", median_ms(21, [&] { rows += fresh.runs(by_age).size(); }));
        besrig::RunFilter by_kind;
        by_kind.kind = "baseline";
        print("history --kind baseline", median_ms(21, [&] { rows += fresh.runs(by_kind).size(); }));
        int exit_code = 0;
        print("report --nightly (14 nights, 10 patches)", median_ms(11, [&] {
                  exit_code = besrig::report::load_nightly(fresh, {}).exit_code;
              }));
        besrig::report::NightlyOptions long_window;
        long_window.nights = 90;
        print("report --nightly --nights 90", median_ms(5, [&] {
                  exit_code += besrig::report::load_nightly(fresh, long_window).exit_code;
              }));
        print("report RUN (load the model of one run)",
              median_ms(21, [&] { rows += besrig::load_report_model(fresh, ids.back()).reps.size(); }));
        std::printf("  (%zu rows read; nightly exit code %d)\n", rows, exit_code);
        if (!json_path.empty()) {
            nlohmann::json j;
            j["runs"] = ids.size() + 4;
            j["seed_seconds"] = seed_s;
            for (const auto& [what, ms] : g_results) j["ms"][what] = ms;
            std::ofstream(json_path) << j.dump(2) << "\n";
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "history_bench: %s\n", e.what());
        return 1;
    }
    if (temp) {
        std::filesystem::remove(path);
        std::filesystem::remove(path + "-wal");
        std::filesystem::remove(path + "-shm");
    }
    return 0;
}
