#include "rig/ssh/link_watch.hpp"

#include <libssh/server.h>  // ssh_send_keepalive is declared there, but is a client call too
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace besrig::ssh {
namespace {

// Milliseconds since data last arrived on the socket; -1 if unknown.
long long silent_ms(ssh_session session) {
    const socket_t fd = ssh_get_fd(session);
    if (fd < 0) return -1;
    tcp_info info{};
    socklen_t len = sizeof info;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0) return -1;
    return static_cast<long long>(info.tcpi_last_data_recv);
}

void send_keepalive(ssh_session session) {
    // Non-blocking, so the request goes out without waiting for its reply
    // (the reply is consumed by later packet processing). libssh keeps one
    // global request in flight: a first call may only collect the previous
    // reply, the second then sends.
    ssh_set_blocking(session, 0);
    ssh_send_keepalive(session);
    ssh_send_keepalive(session);
    ssh_set_blocking(session, 1);
}

}  // namespace

bool LinkWatch::alive() {
    if (interval_.count() <= 0) return true;
    const long long silent = silent_ms(session_);
    if (silent < 0) return true;  // not a TCP socket we can read; rely on the command deadline
    const auto now = Clock::now();
    const auto silence = std::chrono::milliseconds(silent);
    if (outstanding_ && now - silence > first_unanswered_) outstanding_ = false;  // something came back
    if (silence < interval_) return true;
    if (now - last_sent_ >= interval_) {
        send_keepalive(session_);
        last_sent_ = now;
        if (!outstanding_) {
            outstanding_ = true;
            first_unanswered_ = now;
        }
    }
    return !(outstanding_ && now - first_unanswered_ > dead_after_);
}

}  // namespace besrig::ssh
