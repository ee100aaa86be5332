#include "rig/ssh/connect_board.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

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
    // A board busy under stress (or an emulated one on a loaded host) can let
    // one handshake time out and answer the next, and a board whose sshd is
    // re-executing (SIGHUP) closes the connection mid-handshake and serves
    // the next one: both are retried up to timeouts.connect_attempts, a
    // closed handshake after a one-second pause. A refusal, a host-key or an
    // auth failure is returned at once: waiting does not heal those here
    // (RealBoard waits for a booting board itself).
    const int attempts = std::max(1, options.attempts > 0 ? options.attempts : config.timeouts.connect_attempts);
    const auto settings = ssh_settings_from(config, options);
    for (int attempt = 1;; ++attempt) {
        auto r = ssh::SshRemote::connect(settings);
        if (r) return std::unique_ptr<Remote>(std::move(r).value());
        const auto kind = r.error().kind;
        const bool transient = kind == RemoteErrorKind::Timeout || kind == RemoteErrorKind::Disconnected;
        if (!transient || attempt >= attempts) {
            auto e = r.error();
            if (attempt > 1) e.message += " (attempt " + std::to_string(attempt) + " of " + std::to_string(attempts) + ")";
            return fail(std::move(e));
        }
        if (kind == RemoteErrorKind::Disconnected) std::this_thread::sleep_for(std::chrono::seconds(1));
    }
}

std::unique_ptr<Remote> connect_board(const RigConfig& config, const ConnectOptions& options) {
    auto r = try_connect_board(config, options);
    if (!r) throw_infra("cannot reach board " + config.board.name + ": " + r.error().describe());
    return std::move(r).value();
}

}  // namespace besrig
