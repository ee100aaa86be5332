// The Board port bound to a real (or simulated) board over the management
// link: rig/board's probes, verified deploy and reload-and-prove, over one
// libssh session that is reopened when it breaks. Transport failures
// (timeout, refused, disconnected) become BoardUnreachable so the protocol
// can tell a dead host from a failing command. A reload whose rmmod hangs
// escalates per module.unload_hang (reboot over the link, or the power
// switch), waits for the board, and proves the module that runs after it;
// every step goes to the step log (the run's log in the store).
#pragma once

#include <functional>
#include <memory>

#include "config/config.hpp"
#include "phases/ports.hpp"
#include "rig/board/deploy.hpp"
#include "rig/ssh/connect_board.hpp"

namespace besrig {
class Store;
}

namespace besrig::phases {

// How RealBoard opens a management session (unit tests pass a fake).
using BoardConnector = std::function<Result<std::unique_ptr<Remote>, RemoteError>(const RigConfig&, const ConnectOptions&)>;

class RealBoard : public Board {
public:
    RealBoard(const RigConfig& config, ConnectOptions options, BoardConnector connect = try_connect_board);

    std::string kernel_release() override;
    std::vector<std::string> preflight_problems() override;
    double uptime_s() override;
    RunningModule running_module() override;
    void install(const BuildRecord& build) override;
    void reload(const BuildRecord& build) override;
    void reboot() override;
    void wait_reachable(std::chrono::milliseconds timeout) override;
    std::string wait_data_link(std::chrono::milliseconds timeout) override;
    Probe probe_data_path(const std::string& peer) override;
    bool management_alive() override;
    std::map<std::string, std::string> read_files(const std::vector<std::string>& paths) override;
    void mark_log(const std::string& text) override;
    void set_step_log(StepLog log) override { step_log_ = std::move(log); }

    // Unload what runs and load the module file at `path`, proving it is
    // `srcversion`; a hung rmmod escalates (module.unload_hang) and the
    // module running after the reboot is proven instead (the board loads
    // its installed module at boot), or loaded when it is not.
    void reload_path(const std::string& path, const std::string& srcversion, board::DeployState& state);

    // The session, (re)connected on demand; throws BoardUnreachable.
    Remote& remote();

private:
    template <typename T>
    T check(Result<T, RemoteError> r);
    std::chrono::milliseconds command_timeout() const;
    void escalate_hung_unload(const std::string& why);
    board::StepLogger step_logger();

    const RigConfig& config_;
    ConnectOptions options_;
    BoardConnector connect_;
    std::unique_ptr<Remote> remote_;
    std::string release_;
    StepLog step_log_;
};

// Transport failures mean "the board may be down"; the rest are errors of
// the command, not of the link.
bool is_link_failure(const RemoteError& e);

// Opens a management session for an adapter: a link failure throws
// BoardUnreachable (the protocol may power-cycle), anything else Error(Infra).
std::unique_ptr<Remote> connect_or_throw(const RigConfig& config, const ConnectOptions& options);

}  // namespace besrig::phases
