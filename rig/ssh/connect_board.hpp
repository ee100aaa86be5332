// The one way besrig opens a management session to the configured board:
// settings come from RigConfig (board.mgmt.*, timeouts.connect_s,
// timeouts.keepalive_s), with `~` expanded. Each call opens a NEW session; a
// component that streams while another talks (the kernel log follower) calls
// it again for its own.
#pragma once

#include <memory>

#include "config/config.hpp"
#include "rig/ssh/remote.hpp"
#include "rig/ssh/ssh_remote.hpp"

namespace besrig {

struct ConnectOptions {
    bool accept_new_host_key = false;  // first contact: record an unknown key (never a changed one)
    int attempts = 0;                  // handshake attempts; 0: timeouts.connect_attempts
};

ssh::SshSettings ssh_settings_from(const RigConfig& config, const ConnectOptions& options);

// Connects or returns why not (the caller decides: `status` reports
// "unreachable", a run fails as infrastructure).
Result<std::unique_ptr<Remote>, RemoteError> try_connect_board(const RigConfig& config, const ConnectOptions& options);

// Connects or throws Error(Infra) with the RemoteError's description.
std::unique_ptr<Remote> connect_board(const RigConfig& config, const ConnectOptions& options);

}  // namespace besrig
