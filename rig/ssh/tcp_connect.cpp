#include "rig/ssh/tcp_connect.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/strings.hpp"

namespace besrig::ssh {
namespace {

using Clock = std::chrono::steady_clock;

struct AddrInfoDeleter {
    void operator()(addrinfo* a) const noexcept { ::freeaddrinfo(a); }
};

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { if (fd_ >= 0) ::close(fd_); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release() { int f = fd_; fd_ = -1; return f; }

private:
    int fd_;
};

// One attempt at one address; 0 on success, else an errno (ETIMEDOUT at the deadline).
int connect_one(const addrinfo& ai, Clock::time_point deadline, int& out_fd) {
    Fd fd(::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai.ai_protocol));
    if (fd.get() < 0) return errno;
    if (::connect(fd.get(), ai.ai_addr, ai.ai_addrlen) != 0) {
        if (errno != EINPROGRESS) return errno;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0) return ETIMEDOUT;
            pollfd p{fd.get(), POLLOUT, 0};
            const int n = ::poll(&p, 1, static_cast<int>(left));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return errno;
            if (n == 0) return ETIMEDOUT;
            break;
        }
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
        if (err != 0) return err;
    }
    // libssh expects a blocking socket; it does its own polling.
    ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
    int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    out_fd = fd.release();
    return 0;
}

}  // namespace

Result<int, RemoteError> tcp_connect(const std::string& host, int port, std::chrono::milliseconds timeout,
                                     const std::string& where) {
    const auto deadline = Clock::now() + timeout;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* raw = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &raw); rc != 0)
        return fail(RemoteError{RemoteErrorKind::Refused, where, "connect",
                                "cannot resolve " + printable(host) + ": " + ::gai_strerror(rc)});
    std::unique_ptr<addrinfo, AddrInfoDeleter> list(raw);

    int last = ECONNREFUSED;
    for (const addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
        int fd = -1;
        last = connect_one(*ai, deadline, fd);
        if (last == 0) return fd;
        if (last == ETIMEDOUT) break;
    }
    const double secs = static_cast<double>(timeout.count()) / 1000.0;
    if (last == ETIMEDOUT)
        return fail(RemoteError{RemoteErrorKind::Timeout, where, "connect",
                                "no answer within " + format_seconds(secs) + " (timeouts.connect_s)"});
    return fail(RemoteError{RemoteErrorKind::Refused, where, "connect", std::strerror(last)});
}

}  // namespace besrig::ssh
