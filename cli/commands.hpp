// Each file cmd_*.cpp adds one family of subcommands to the tree.
#pragma once

namespace CLI {
class App;
}

namespace besrig {

class Context;

void add_config_commands(CLI::App& app, Context& ctx);
void add_run_commands(CLI::App& app, Context& ctx);
void add_history_commands(CLI::App& app, Context& ctx);
void add_compare_commands(CLI::App& app, Context& ctx);
void add_stats_commands(CLI::App& app, Context& ctx);
void add_status_commands(CLI::App& app, Context& ctx);
void add_deploy_commands(CLI::App& app, Context& ctx);
void add_ssh_commands(CLI::App& app, Context& ctx);
void add_phase5_commands(CLI::App& app, Context& ctx);
void add_build_commands(CLI::App& app, Context& ctx);
void add_iperf3_commands(CLI::App& app, Context& ctx);
void add_log_commands(CLI::App& app, Context& ctx);
void add_triage_commands(CLI::App& app, Context& ctx);
void add_sim_commands(CLI::App& app, Context& ctx);
void add_power_commands(CLI::App& app, Context& ctx);
void add_report_commands(CLI::App& app, Context& ctx);
void add_nightly_commands(CLI::App& app, Context& ctx);
void add_bench_commands(CLI::App& app, Context& ctx);

}  // namespace besrig
