// besrig ssh accept-host-key: first contact with a board. Shows the board's
// host key fingerprint and records it in the configured known_hosts when it
// is unknown. A CHANGED key is never accepted here: the refusal says how to
// remove the old entry after checking why it changed.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "rig/ssh/connect_board.hpp"
#include "util/error.hpp"

namespace besrig {
namespace {

int accept_host_key(Context& ctx) {
    const auto& rig = ctx.rig();
    const auto settings = ssh_settings_from(rig, ConnectOptions{true});
    auto r = ssh::SshRemote::connect(settings);
    if (!r) {
        if (r.error().kind == RemoteErrorKind::Auth)
            ctx.console.warn("the host key was checked (and recorded if it was new), but authentication failed");
        throw_infra(r.error().describe());
    }
    const auto& key = (*r)->host_key();
    const std::string name = ssh::known_hosts_name(settings.host, settings.port);
    if (key.state == ssh::HostKeyFacts::State::Known)
        ctx.console.result("already trusted: " + name + " " + key.key_type + " " + key.fingerprint);
    else
        ctx.console.result("recorded " + name + " " + key.key_type + " " + key.fingerprint + " in " +
                           settings.known_hosts.string());
    return 0;
}

}  // namespace

void add_ssh_commands(CLI::App& app, Context& ctx) {
    auto* ssh = app.add_subcommand("ssh", "The management link's SSH settings");
    ssh->require_subcommand(1);
    auto* accept = ssh->add_subcommand(
        "accept-host-key", "Record the board's host key in board.mgmt.known_hosts if unknown (never a changed one)");
    accept->callback([&ctx] { ctx.action = [&ctx] { return accept_host_key(ctx); }; });
}

}  // namespace besrig
