// Ports for the per-run iperf3 server on a shared controller: a free one is
// picked from a configured base, and "is it listening yet?" is answered from
// /proc without connecting (an iperf3 server would take a stray connection
// for a test and log an error).
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>

namespace besrig {

// True when `port` can be bound on `address` (empty: all addresses) right now.
bool tcp_port_bindable(const std::string& address, int port);

// The first port in [base, base + span) that can be bound; nullopt if none.
std::optional<int> find_free_tcp_port(const std::string& address, int base, int span);

// True when process `pid` owns a TCP socket listening on `port` (IPv4 or IPv6).
bool process_listens_on(pid_t pid, int port);

}  // namespace besrig
