// The controller's end of netconsole (issue 5, "a second channel"): a UDP
// socket the board's netconsole module sends its kernel log to, so the last
// lines before a hard hang or panic reach the controller even when the SSH
// stream of /dev/kmsg died with the board.
//
// Design: one non-blocking UDP socket bound to the configured address and
// port, drained by whoever owns it (the log follower, between its other
// work); a large receive buffer keeps what arrives while the owner is busy
// reconnecting. Each datagram is one netconsole message: in extended mode
// (`netconsole=+...`) a /dev/kmsg record ("prio,seq,usec,flags;text" plus
// " KEY=value" lines), else plain console text. Parsing is rig/kmsg's
// RecordReader's job; this class only moves bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace besrig::netconsole {

struct Datagram {
    std::string data;
    std::string sender;  // "a.b.c.d:port"
};

class Listener {
public:
    // Binds address:port (IPv4); throws a Config error naming both when the
    // address is not IPv4, and an Infra error with the system's reason when
    // the bind fails (port taken, address not on this host).
    Listener(const std::string& address, int port);
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    // Every datagram waiting now (never blocks); at most `max` of them.
    std::vector<Datagram> drain(std::size_t max = 100000);
    // Waits up to timeout_ms for one datagram to be readable.
    bool wait(int timeout_ms);
    // The bound port (useful when constructed with port 0).
    int port() const { return port_; }
    std::uint64_t datagrams() const { return datagrams_; }

private:
    int fd_ = -1;
    int port_ = 0;
    std::uint64_t datagrams_ = 0;
};

}  // namespace besrig::netconsole
