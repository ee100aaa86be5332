// Opening the TCP connection ourselves (instead of letting ssh_connect do it)
// keeps "nobody listens" (Refused) apart from "nothing answers" (Timeout):
// a non-blocking connect polled against a deadline, over every address the
// name resolves to. The socket is then handed to libssh (SSH_OPTIONS_FD).
#pragma once

#include <chrono>
#include <string>

#include "rig/ssh/remote.hpp"
#include "util/result.hpp"

namespace besrig::ssh {

// A connected, blocking TCP socket (owned by the caller), or a RemoteError of
// kind Refused (refused, unreachable, no such host) or Timeout.
Result<int, RemoteError> tcp_connect(const std::string& host, int port, std::chrono::milliseconds timeout,
                                     const std::string& where);

}  // namespace besrig::ssh
