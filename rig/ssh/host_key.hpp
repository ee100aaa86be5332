// Strict host-key checking (BRIEF §2): the board's key is compared with the
// configured known_hosts file only (never ~/.ssh/known_hosts or the system
// file). An unknown key is refused unless the policy is accept-new; a changed
// key is refused always. Refusals carry the SHA256 fingerprint and the exact
// commands that accept it, so the operator decides with the facts in hand.
#pragma once

#include <filesystem>
#include <libssh/libssh.h>
#include <string>

#include "rig/ssh/remote.hpp"
#include "util/result.hpp"

namespace besrig::ssh {

enum class HostKeyPolicy {
    Strict,     // unknown or changed: refuse
    AcceptNew,  // unknown: record and accept; changed: refuse
};

// "strict" | "accept-new"; anything else throws Error(Config).
HostKeyPolicy parse_host_key_policy(const std::string& text);

struct HostKeyFacts {
    std::string fingerprint;  // "SHA256:..." as ssh-keygen -l prints it
    std::string key_type;     // "ssh-ed25519"
    enum class State { Known, Unknown, Changed } state = State::Unknown;
};

// Reads the connected session's server key and looks it up in known_hosts.
Result<HostKeyFacts, RemoteError> inspect_host_key(ssh_session session, const std::string& where);

// Applies the policy; records an unknown key in known_hosts under AcceptNew.
Result<HostKeyFacts, RemoteError> verify_host_key(ssh_session session, HostKeyPolicy policy,
                                                  const std::filesystem::path& known_hosts, const std::string& host,
                                                  int port, const std::string& where);

// Records the session's (unknown) server key in known_hosts.
Result<Done, RemoteError> record_host_key(ssh_session session, const std::filesystem::path& known_hosts,
                                          const std::string& where);

// "[127.0.0.1]:2222" for non-default ports, "host" for 22: the known_hosts spelling.
std::string known_hosts_name(const std::string& host, int port);

}  // namespace besrig::ssh
