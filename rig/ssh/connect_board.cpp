#include "rig/ssh/connect_board.hpp"

#include <cmath>

#include "util/error.hpp"
#include "util/fs.hpp"

namespace besrig {
namespace {

std::chrono::milliseconds ms(double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000.0)));
}

}  // namespace

ssh::SshSettings ssh_settings_from(const RigConfig& config, const ConnectOptions& options) {
    const auto& m = config.board.mgmt;
    ssh::SshSettings s;
    s.host = m.host;
    s.port = m.port;
    s.user = m.user;
    if (!m.identity_file.empty()) s.identity_file = expand_home(m.identity_file);
    s.known_hosts = expand_home(m.known_hosts);
    s.policy = options.accept_new_host_key ? ssh::HostKeyPolicy::AcceptNew : ssh::parse_host_key_policy(m.host_key_policy);
    s.connect_timeout = ms(config.timeouts.connect_s);
    s.keepalive = ms(config.timeouts.keepalive_s);
    return s;
}

Result<std::unique_ptr<Remote>, RemoteError> try_connect_board(const RigConfig& config, const ConnectOptions& options) {
    auto r = ssh::SshRemote::connect(ssh_settings_from(config, options));
    if (!r) return fail(r.error());
    return std::unique_ptr<Remote>(std::move(r).value());
}

std::unique_ptr<Remote> connect_board(const RigConfig& config, const ConnectOptions& options) {
    auto r = try_connect_board(config, options);
    if (!r) throw_infra("cannot reach board " + config.board.name + ": " + r.error().describe());
    return std::move(r).value();
}

}  // namespace besrig
