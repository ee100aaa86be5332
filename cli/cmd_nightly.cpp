// besrig nightly [--config nightly.json]
// The composition for phases/nightly: reads the nightly config, takes its
// lock (a second nightly exits 2 naming the holder), logs timestamped lines
// to log_file and stdout, runs the night through real board sessions, then
// writes the trend report (reports/render/nightly) to the configured paths
// and exits with nightly::overall_exit.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/rig_session.hpp"
#include "config/nightly.hpp"
#include "phases/adapters/store_comparator.hpp"
#include "phases/nightly/runner.hpp"
#include "reports/render/format.hpp"
#include "reports/render/nightly.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/fs.hpp"
#include "util/interrupt.hpp"
#include "util/terminal.hpp"

namespace besrig {
namespace {

struct NightlyOptions {
    std::string config;
};

// Appends "YYYY-MM-DD HH:MM:SS text" lines to the log file (flushed each
// line: a nightly that dies still leaves its story) and prints the text.
class NightlyLog {
public:
    NightlyLog(const std::filesystem::path& path, Console& console) : console_(console) {
        std::error_code ec;
        if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
        file_.reset(std::fopen(path.c_str(), "a"));
        if (!file_) throw_infra("cannot open the nightly log " + path.string() + " for appending: " + std::strerror(errno));
    }
    void line(const std::string& text) {
        std::fprintf(file_.get(), "%s %s\n", utc_timestamp().c_str(), text.c_str());
        std::fflush(file_.get());
        console_.result(text);
    }

private:
    struct Closer {
        void operator()(std::FILE* f) const { std::fclose(f); }
    };
    Console& console_;
    std::unique_ptr<std::FILE, Closer> file_;
};

class RigNightlySession : public nightly::Session {
public:
    RigNightlySession(Context& ctx, const std::string& patch) : ctx_(ctx), session_(ctx, patch) {}
    Bundle& bundle() override { return session_.bundle(); }
    phase7::Ports ports(const RigConfig& config) override {
        comparator_ = std::make_unique<phases::StoreComparator>(config, ctx_.store());
        return {session_.board(), session_.traffic(), session_.log(), session_.evidence(), session_.evidence(),
                session_.power(), comparator_.get(), {}, {}};
    }

private:
    Context& ctx_;
    RigSession session_;
    std::unique_ptr<phases::StoreComparator> comparator_;
};

class RigSessionFactory : public nightly::SessionFactory {
public:
    explicit RigSessionFactory(Context& ctx) : ctx_(ctx) {}
    std::unique_ptr<nightly::Session> open(const std::string& patch) override {
        return std::make_unique<RigNightlySession>(ctx_, patch);
    }

private:
    Context& ctx_;
};

std::filesystem::path nightly_config_path(const std::string& flag) {
    if (!flag.empty()) return flag;
    const auto user = xdg_config_home() / "besrig" / "nightly.json";
    std::error_code ec;
    if (std::filesystem::exists(user, ec)) return user;
    throw_usage("nightly: which config? give --config nightly.json (see config/examples/nightly.json) or create " +
                user.string());
}

// The trend report to the configured files; returns its exit code (2 when
// it could not be written).
int write_report(Context& ctx, const NightlyConfig& nc, NightlyLog& log) {
    try {
        report::NightlyOptions no;
        no.nights = nc.report_nights;
        no.margin_pct = nc.report_margin_pct;
        auto n = report::load_nightly(ctx.store(), no);
        // The nightly reports (and is judged on) the patches it tracks.
        const auto tracked = [&nc](const std::string& patch) {
            return std::any_of(nc.patches.begin(), nc.patches.end(), [&](const NightlyPatch& p) { return p.name == patch; });
        };
        std::erase_if(n.patches, [&](const report::PatchTrend& p) { return !tracked(p.patch); });
        std::erase_if(n.new_fingerprints, [&](const report::NewFingerprint& f) { return !tracked(f.patch); });
        n.exit_code = std::any_of(n.patches.begin(), n.patches.end(), [](const report::PatchTrend& p) {
            return p.status == "failed" || p.status == "moved down";
        }) ? 1 : 0;
        const std::string date = n.nights.empty() ? report::utc_date(unix_now() - 12 * 3600.0) : n.nights.back();
        if (!nc.report_markdown.empty()) {
            const auto path = substitute_date(nc.report_markdown, date);
            write_file_atomic(path, report::render_nightly_markdown(n));
            log.line("report: " + path);
        }
        if (!nc.report_html.empty()) {
            const auto path = substitute_date(nc.report_html, date);
            write_file_atomic(path, report::render_nightly_html(n));
            log.line("report: " + path);
        }
        for (const auto& p : n.patches) log.line("trend " + p.patch + ": " + p.status + (p.detail.empty() ? "" : " — " + p.detail));
        for (const auto& f : n.new_fingerprints)
            log.line("new kernel-log signature in " + f.patch + " (run " + std::to_string(f.run) + "): " + f.title);
        return n.exit_code;
    } catch (const std::exception& e) {
        log.line(std::string("report failed: ") + e.what());
        return exit_code::usage_or_infra;
    }
}

// The night itself, once the lock is held and the log open.
int run_night(Context& ctx, const NightlyConfig& nc, NightlyLog& log) {
    const auto& rig = ctx.rig();
    nightly::Plan plan;
    plan.profile = nc.profile.empty() ? rig.phase7.profile : nc.profile;
    (void)rig.profile(plan.profile);  // refuses an unknown profile before the board is touched
    plan.reps = nc.reps > 0 ? nc.reps : rig.phase7.reps;
    plan.interleave = nc.interleave;
    plan.baseline_run = nc.baseline_run;
    plan.patches = nc.patches;
    plan.command = ctx.command_line();

    RigSessionFactory sessions(ctx);
    nightly::Runner runner(rig, ctx.store(), sessions, ctx.console, [&log](const std::string& l) { log.line(l); });
    const auto result = runner.run(plan);
    if (!result.baseline_problem.empty()) log.line("no usable baseline: " + result.baseline_problem);
    const int report_exit = write_report(ctx, nc, log);
    const int code = nightly::overall_exit(result, report_exit);
    log.line("nightly done: exit " + std::to_string(code) +
             (code == 0 ? " (all steady or better)" : code == 1 ? " (a patch failed or moved down)" : " (the rig or controller failed)"));
    return code;
}

int run_nightly(Context& ctx, const NightlyOptions& o) {
    const auto path = nightly_config_path(o.config);
    const auto nc = read_nightly_config(path);
    // The nightly file names the rig config and store unless the global
    // options did.
    if (ctx.opts.config_path.empty() && nc.rig_config) ctx.opts.config_path = nc.rig_config->string();
    if (ctx.opts.store_path.empty() && nc.store) ctx.opts.store_path = nc.store->string();

    std::unique_ptr<FileLock> lock;
    try {
        lock = FileLock::acquire(nc.lock_file, "another besrig nightly", ctx.command_line());
    } catch (const Error& e) {
        try {
            NightlyLog(nc.log_file, ctx.console).line(std::string("refused: ") + e.what());
        } catch (const Error&) {
            // The refusal itself is what matters; it reaches stderr below.
        }
        throw;
    }
    NightlyLog log(nc.log_file, ctx.console);
    install_interrupt_handlers();
    log.line("nightly start: " + path.string() + " (pid " + std::to_string(static_cast<long>(::getpid())) + ")");

    try {
        return run_night(ctx, nc, log);
    } catch (const std::exception& e) {
        log.line(std::string("nightly failed: ") + e.what());
        throw;
    }
}

}  // namespace

void add_nightly_commands(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<NightlyOptions>();
    auto* cmd = app.add_subcommand("nightly", "Phase 7 of every tracked patch against the baseline, then the trend "
                                              "report (for cron and systemd timers)");
    cmd->add_option("--config", o->config, "Nightly config (default: ~/.config/besrig/nightly.json; "
                                           "see config/examples/nightly.json)");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_nightly(ctx, *o); }; });
}

}  // namespace besrig
