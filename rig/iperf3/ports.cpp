#include "rig/iperf3/ports.hpp"

#include <arpa/inet.h>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>
#include <unistd.h>

#include "util/strings.hpp"

namespace besrig {
namespace {

// A socket that closes itself.
struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
};

// Inodes of the listening sockets on `port`, from /proc/net/tcp and tcp6
// ("sl local_address rem_address st ... inode": state 0A is LISTEN).
std::set<std::string> listening_inodes(int port) {
    std::set<std::string> out;
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream in(table);
        std::string line;
        std::getline(in, line);  // header
        while (std::getline(in, line)) {
            std::vector<std::string> f;
            for (const auto& w : split(line, ' ')) {
                if (!w.empty()) f.push_back(w);
            }
            if (f.size() < 10 || f[3] != "0A") continue;
            const auto colon = f[1].rfind(':');
            if (colon == std::string::npos) continue;
            const long p = std::strtol(f[1].c_str() + colon + 1, nullptr, 16);
            if (p == port) out.insert(f[9]);
        }
    }
    return out;
}

}  // namespace

bool tcp_port_bindable(const std::string& address, int port) {
    if (port <= 0 || port > 65535) return false;
    const bool v6 = address.find(':') != std::string::npos;
    Fd s(::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (s.fd < 0) return false;
    const int one = 1;
    ::setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // as iperf3 does
    if (v6) {
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(static_cast<std::uint16_t>(port));
        if (::inet_pton(AF_INET6, address.c_str(), &a.sin6_addr) != 1) return false;
        return ::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (address.empty()) a.sin_addr.s_addr = htonl(INADDR_ANY);
    else if (::inet_pton(AF_INET, address.c_str(), &a.sin_addr) != 1) return false;
    return ::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
}

std::optional<int> find_free_tcp_port(const std::string& address, int base, int span) {
    for (int p = base; p < base + span && p <= 65535; ++p) {
        // A listener on another address of the same port would still collide
        // with a server bound to all addresses: skip those too.
        if (listening_inodes(p).empty() && tcp_port_bindable(address, p)) return p;
    }
    return std::nullopt;
}

bool process_listens_on(pid_t pid, int port) {
    const auto inodes = listening_inodes(port);
    if (inodes.empty()) return false;
    std::error_code ec;
    const auto dir = std::filesystem::path("/proc") / std::to_string(pid) / "fd";
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto target = std::filesystem::read_symlink(entry.path(), ec);
        if (ec) continue;
        const auto t = target.string();  // "socket:[12345]"
        if (t.rfind("socket:[", 0) == 0 && inodes.count(t.substr(8, t.size() - 9)) > 0) return true;
    }
    return false;
}

}  // namespace besrig
