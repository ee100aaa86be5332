// Each file cmd_*.cpp adds one family of subcommands to the tree.
#pragma once

namespace CLI {
class App;
}

namespace besrig {

class Context;

void add_config_commands(CLI::App& app, Context& ctx);
void add_history_commands(CLI::App& app, Context& ctx);
void add_build_commands(CLI::App& app, Context& ctx);
void add_iperf3_commands(CLI::App& app, Context& ctx);
void add_triage_commands(CLI::App& app, Context& ctx);

}  // namespace besrig
