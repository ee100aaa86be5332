// besrig log follow [--seconds S]: the Phase 7 kernel-log follower on its own
// (BRIEF §4, issue 5): the board's /dev/kmsg over the management link and,
// with kernel_log.netconsole.enabled, the netconsole channel, stored in a
// run of kind "log" and classified, for S seconds. For watching a board by
// hand (a manual test, a suspected hang) with the same evidence Phase 7 keeps.
#include <CLI/CLI.hpp>
#include <chrono>
#include <thread>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "phases/adapters/live_log_watch.hpp"
#include "reports/store/store.hpp"
#include "util/terminal.hpp"

namespace besrig {
namespace {

struct LogOptions {
    double seconds = 60;
};

int follow(Context& ctx, const LogOptions& o) {
    NewRun nr;
    nr.kind = "log";
    nr.rig = ctx.rig().board.name;
    nr.command = ctx.command_line();
    const auto run_id = ctx.store().begin_run(nr);
    phases::LiveLogWatch watch(ctx.rig(), ConnectOptions{}, ctx.store_path());
    watch.set_position(0, "follow", "");
    try {
        watch.start(run_id);
    } catch (...) {
        ctx.store().abort_run(run_id, "the kernel log follower did not start");
        throw;
    }
    const auto& nc = ctx.rig().kernel_log.netconsole;
    ctx.console.info("run " + std::to_string(run_id) + ": following the kernel log for " + std::to_string(o.seconds).substr(0, 6) +
                     " s" + (nc.enabled ? " (netconsole on " + nc.listen + ":" + std::to_string(nc.port) + "/udp)" : ""));
    std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
    watch.stop();
    const auto s = watch.status();
    ctx.console.result("run " + std::to_string(run_id) + ": " + std::to_string(s.records) + " record(s) over kmsg, " +
                       std::to_string(s.netconsole_records) + " over netconsole (" +
                       std::to_string(s.netconsole_only_records) + " only there), " + std::to_string(s.fail_events) +
                       " splat(s), " + std::to_string(s.lost_records) + " lost");
    ctx.store().finish_run(run_id, "COLLECTED", std::to_string(s.records + s.netconsole_records) + " record(s)", 0);
    return 0;
}

}  // namespace

void add_log_commands(CLI::App& app, Context& ctx) {
    auto* log = app.add_subcommand("log", "The board's kernel log");
    log->require_subcommand(1);
    auto o = std::make_shared<LogOptions>();
    auto* f = log->add_subcommand("follow", "Store and classify the kernel log (kmsg, and netconsole when enabled) for a while");
    f->add_option("--seconds", o->seconds, "How long to follow (default 60)")->check(CLI::Range(0.1, 86400.0));
    f->callback([&ctx, o] { ctx.action = [&ctx, o] { return follow(ctx, *o); }; });
}

}  // namespace besrig
