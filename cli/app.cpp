#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

constexpr const char* k_description =
    "besrig — a hardware-in-the-loop regression rig controller for the bes2600 Wi-Fi driver.\n"
    "Deploys module builds to a board over its wired management link, stresses the Wi-Fi link\n"
    "with iperf3, catches WARN storms and wedged chips, captures forensics without rebooting,\n"
    "and compares throughput against a baseline. Results go to an SQLite store.";

void print_error(const std::string& message) {
    std::fprintf(stderr, "besrig: error: %s\n", message.c_str());
}

}  // namespace

int run_cli(int argc, char** argv) {
    Context ctx;
    for (int i = 0; i < argc; ++i) ctx.argv.emplace_back(argv[i]);
    // --bisect must be known even when parsing itself fails.
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--bisect") == 0) ctx.opts.bisect = true;

    CLI::App app{k_description, "besrig"};
    app.set_version_flag("--version", std::string("besrig ") + BESRIG_VERSION);
    app.require_subcommand(1);
    app.fallthrough();
    app.add_option("--config", ctx.opts.config_path, "Rig config file (default: ./config/rig.json or $BESRIG_CONFIG)");
    app.add_option("--store", ctx.opts.store_path, "SQLite store file (default: store.path of the config)");
    app.add_option("--set", ctx.opts.sets, "Override one config value: key.path=value (repeatable)");
    app.add_flag("-v,--verbose", ctx.opts.verbose, "Print version, command line and resolved config first");
    app.add_flag("--json", ctx.opts.json, "Results as JSON on stdout");
    app.add_flag("--bisect", ctx.opts.bisect, "Exit 125 on infrastructure errors, so `git bisect run` skips");

    add_config_commands(app, ctx);
    add_run_commands(app, ctx);
    add_history_commands(app, ctx);
    add_compare_commands(app, ctx);
    add_stats_commands(app, ctx);
    add_status_commands(app, ctx);
    add_deploy_commands(app, ctx);
    add_ssh_commands(app, ctx);
    add_phase5_commands(app, ctx);
    add_build_commands(app, ctx);
    add_iperf3_commands(app, ctx);
    add_log_commands(app, ctx);
    add_triage_commands(app, ctx);
    add_sim_commands(app, ctx);
    add_power_commands(app, ctx);
    add_report_commands(app, ctx);
    add_nightly_commands(app, ctx);
    add_bench_commands(app, ctx);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        print_error(std::string(e.what()) + " (see besrig --help)");
        return exit_code::usage_or_infra;
    } catch (const Error& e) {
        print_error(e.what());
        return exit_code_for(e.kind(), ctx.opts.bisect);
    }

    try {
        if (ctx.opts.verbose) {
            ctx.console.info(std::string("besrig ") + BESRIG_VERSION + ": " + ctx.command_line());
            const auto& loaded = ctx.config();
            ctx.console.info("config file: " + (loaded.file ? loaded.file->string() : std::string("(none, defaults)")));
        }
        if (!ctx.action) {
            print_error("no command given (see besrig --help)");
            return exit_code::usage_or_infra;
        }
        return ctx.action();
    } catch (const Error& e) {
        ctx.console.clear_status();
        print_error(e.what());
        return exit_code_for(e.kind(), ctx.opts.bisect);
    } catch (const std::exception& e) {
        ctx.console.clear_status();
        print_error(std::string("internal error: ") + e.what());
        return exit_code_for(ErrorKind::Infra, ctx.opts.bisect);
    }
}

}  // namespace besrig
