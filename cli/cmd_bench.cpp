// besrig bench [--json FILE] [--only NAME,...] [--skip-board]: every figure of
// BRIEF §9 / issue 11 measured side by side in one run, printed as a table
// (figure | measured | goal | holds? | note) and written as JSON
// (schema besrig.bench/1). A benchmark never fails on speed: it exits 0 when
// it ran, whatever the figures say; 2 when a named figure does not exist or
// the board it needs cannot be booted.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench/board_bench.hpp"
#include "bench/local_figures.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

struct BenchOptions {
    std::string json_file;
    std::vector<std::string> only;
    bool skip_board = false;
    bool keep = false;
    int triage_mb = 50;
    int stress_s = 30;
};

const std::vector<std::string>& local_names() {
    static const std::vector<std::string> n{"triage", "history"};
    return n;
}

std::string first_line_of(const std::filesystem::path& p) {
    try {
        const auto s = read_file(p);
        return std::string(trim(s.substr(0, s.find('\n'))));
    } catch (const Error&) {
        return "";
    }
}

// Removes the scratch directory on every exit path unless --keep.
struct ScratchDir {
    std::filesystem::path path;
    bool keep = false;
    ~ScratchDir() {
        std::error_code ec;
        if (!keep && !path.empty()) std::filesystem::remove_all(path, ec);
    }
};

int run_bench(Context& ctx, const BenchOptions& o) {
    std::set<std::string> only(o.only.begin(), o.only.end());
    std::set<std::string> known(local_names().begin(), local_names().end());
    known.insert(bench::board_figure_names().begin(), bench::board_figure_names().end());
    for (const auto& n : only)
        if (!known.count(n)) throw_usage("bench: no figure named " + printable(n) + "; known: " + join({known.begin(), known.end()}, ", "));
    const auto want = [&](const std::string& n) { return only.empty() || only.count(n) > 0; };

    const auto exe = std::filesystem::read_symlink("/proc/self/exe");
    std::string tmpl = (std::filesystem::temp_directory_path() / "besrig-bench.XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw_infra("bench: cannot create a scratch directory under " + tmpl);
    ScratchDir scratch{tmpl, o.keep};
    if (o.keep) ctx.console.info("bench: scratch directory " + tmpl + " is kept");

    std::vector<bench::Figure> figures;
    bench::LocalInputs local;
    local.besrig = exe;
    local.work = scratch.path;
    local.triage_seed = std::filesystem::path(BESRIG_SOURCE_DIR).parent_path() / "shared" / "corpora" / "kernel-logs" /
                        "logspec" / "linux_boot_005.log";
    local.triage_mb = o.triage_mb;
    local.history_bench = exe.parent_path() / "bench" / "history_bench";
    if (want("triage")) {
        ctx.console.info("bench: triage vs grep -E (g)");
        figures.push_back(bench::triage_figure(local));
    }
    if (want("history")) {
        ctx.console.info("bench: history on 10,000 runs (j)");
        figures.push_back(bench::history_figure(local));
    }

    bool board_wanted = false;
    for (const auto& n : bench::board_figure_names()) board_wanted = board_wanted || want(n);
    if (board_wanted && o.skip_board) {
        for (const auto& n : bench::board_figure_names())
            if (want(n)) {
                bench::Figure f;
                f.name = n;
                f.label = bench::board_figure_label(n);
                f.note = "skipped (--skip-board)";
                figures.push_back(f);
            }
    } else if (board_wanted) {
        bench::BoardInputs in;
        in.besrig = exe;
        in.work = scratch.path / "board";
        std::filesystem::create_directories(in.work);
        for (const auto& n : bench::board_figure_names())
            if (want(n) && !only.empty()) in.only.insert(n);
        in.stress_s = o.stress_s;
        in.load_config = [&ctx](const std::filesystem::path& config, const std::filesystem::path& store) {
            Context c;
            c.opts.config_path = config.string();
            c.opts.store_path = store.string();
            return c.rig();
        };
        auto board = bench::run_board_figures(in, ctx.console);
        figures.insert(figures.end(), board.begin(), board.end());
    }

    // (a) .. (j), whatever order they were measured in.
    std::stable_sort(figures.begin(), figures.end(),
                     [](const bench::Figure& a, const bench::Figure& b) { return a.label < b.label; });
    nlohmann::json j;
    j["schema"] = "besrig.bench/1";
    j["date"] = unix_now();
    utsname u{};
    ::uname(&u);
    j["machine"] = {{"host", u.nodename}, {"kernel", u.release}, {"cpus", ::sysconf(_SC_NPROCESSORS_ONLN)},
                    {"loadavg", first_line_of("/proc/loadavg")}};
    auto arr = nlohmann::json::array();
    for (const auto& f : figures) arr.push_back(f.to_json());
    j["figures"] = arr;
    if (!o.json_file.empty()) {
        std::ofstream out(o.json_file);
        out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        if (!out) throw_infra("bench: cannot write " + o.json_file);
    }
    ctx.console.result(bench::render_table(figures));
    ctx.console.result("load average " + first_line_of("/proc/loadavg") + "; ratios measured side by side in this run");
    return 0;
}

}  // namespace

void add_bench_commands(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<BenchOptions>();
    auto* cmd = app.add_subcommand("bench", "Measure every benchmark figure against its goal (table + JSON)");
    cmd->add_option("--json", opts->json_file, "Also write the figures as JSON to FILE");
    cmd->add_option("--only", opts->only, "Only these figures (comma-separated): triage, history, overhead, splat, "
                                          "wedge, hostdown, forensics, deploy, kmsg, rss, variants, prep")
        ->delimiter(',');
    cmd->add_flag("--skip-board", opts->skip_board, "Skip the figures that boot a simulated board");
    cmd->add_flag("--keep", opts->keep, "Keep the scratch directory (logs of every child)");
    cmd->add_option("--triage-mb", opts->triage_mb, "Size of the triage input in MB")->capture_default_str();
    cmd->add_option("--stress-s", opts->stress_s, "Seconds of stress in each short phase7")->capture_default_str();
    cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return run_bench(ctx, *opts); }; });
}

}  // namespace besrig
