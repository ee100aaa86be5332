// The Board port bound to a real (or simulated) board over the management
// link: rig/board's probes, verified deploy and reload-and-prove, over one
// libssh session that is reopened when it breaks. Transport failures
// (timeout, refused, disconnected) become BoardUnreachable so the protocol
// can tell a dead host from a failing command.
#pragma once

#include <memory>

#include "config/config.hpp"
#include "phases/ports.hpp"
#include "rig/ssh/connect_board.hpp"

namespace besrig {
class Store;
}

namespace besrig::phases {

class RealBoard : public Board {
public:
    RealBoard(const RigConfig& config, ConnectOptions options);

    std::string kernel_release() override;
    std::vector<std::string> preflight_problems() override;
    double uptime_s() override;
    RunningModule running_module() override;
    void install(const BuildRecord& build) override;
    void reload(const BuildRecord& build) override;
    void reboot() override;
    void wait_reachable(std::chrono::milliseconds timeout) override;
    std::string wait_data_link(std::chrono::milliseconds timeout) override;
    bool probe_data_path(const std::string& peer) override;
    bool management_alive() override;
    std::map<std::string, std::string> read_files(const std::vector<std::string>& paths) override;
    void mark_log(const std::string& text) override;

    // The session, (re)connected on demand; throws BoardUnreachable.
    Remote& remote();

private:
    template <typename T>
    T check(Result<T, RemoteError> r);
    std::chrono::milliseconds command_timeout() const;

    const RigConfig& config_;
    ConnectOptions options_;
    std::unique_ptr<Remote> remote_;
    std::string release_;
};

// Transport failures mean "the board may be down"; the rest are errors of
// the command, not of the link.
bool is_link_failure(const RemoteError& e);

// Opens a management session for an adapter: a link failure throws
// BoardUnreachable (the protocol may power-cycle), anything else Error(Infra).
std::unique_ptr<Remote> connect_or_throw(const RigConfig& config, const ConnectOptions& options);

}  // namespace besrig::phases
