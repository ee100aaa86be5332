#include "rig/netconsole/listener.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/error.hpp"

namespace besrig::netconsole {

Listener::Listener(const std::string& address, int port) {
    const std::string where = "netconsole listener " + address + ":" + std::to_string(port);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(port));
    if (port < 0 || port > 65535 || ::inet_pton(AF_INET, address.c_str(), &sa.sin_addr) != 1)
        throw_config(where + ": expected an IPv4 address and a port 0-65535");
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw_infra(where + ": socket: " + std::strerror(errno));
    // A hard hang sends its last few hundred lines at once: keep them all.
    const int rcvbuf = 4 << 20;
    (void)::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
        throw_infra(where + ": bind: " + why + " (is another besrig or netcat listening there?)");
    }
    socklen_t len = sizeof sa;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len) == 0) port_ = ntohs(sa.sin_port);
}

Listener::~Listener() {
    if (fd_ >= 0) ::close(fd_);
}

bool Listener::wait(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, timeout_ms) > 0 && (p.revents & POLLIN);
}

std::vector<Datagram> Listener::drain(std::size_t max) {
    std::vector<Datagram> out;
    char buf[65536];
    while (out.size() < max) {
        sockaddr_in from{};
        socklen_t len = sizeof from;
        const ssize_t n = ::recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 0) {
            if (errno == EINTR) continue;
            break;  // EAGAIN: nothing more now
        }
        char ip[INET_ADDRSTRLEN] = "?";
        ::inet_ntop(AF_INET, &from.sin_addr, ip, sizeof ip);
        out.push_back({std::string(buf, static_cast<std::size_t>(n)), std::string(ip) + ":" + std::to_string(ntohs(from.sin_port))});
        ++datagrams_;
    }
    return out;
}

}  // namespace besrig::netconsole
