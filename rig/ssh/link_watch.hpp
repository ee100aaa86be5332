// Notices a dead management link in seconds, not minutes (issue 7). While a
// command runs quietly (`sleep`, a kernel log with nothing to say), TCP alone
// would wait minutes before giving up. So every `interval` of silence we send
// an OpenSSH keepalive (a global request that demands a reply), and judge the
// link by the kernel's own record of when data last arrived on the socket
// (TCP_INFO tcpi_last_data_recv): if nothing has arrived for two intervals
// after a keepalive went out, the far end is gone (≈3 intervals in all).
#pragma once

#include <chrono>
#include <libssh/libssh.h>

namespace besrig::ssh {

class LinkWatch {
public:
    using Clock = std::chrono::steady_clock;

    // `dead_after`: how long keepalives may stay unanswered (0: two intervals).
    LinkWatch(ssh_session session, std::chrono::milliseconds interval,
              std::chrono::milliseconds dead_after = std::chrono::milliseconds(0))
        : session_(session), interval_(interval), dead_after_(dead_after.count() > 0 ? dead_after : 2 * interval) {}
    std::chrono::milliseconds dead_after() const { return dead_after_; }

    // Call often (every poll round). Sends keepalives when due; returns false
    // once the peer has stayed silent through them.
    bool alive();

private:
    ssh_session session_;
    std::chrono::milliseconds interval_;
    std::chrono::milliseconds dead_after_;
    Clock::time_point last_sent_{};
    Clock::time_point first_unanswered_{};
    bool outstanding_ = false;
};

}  // namespace besrig::ssh
