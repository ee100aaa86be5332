// The Traffic port bound to iperf3 (rig/iperf3): one server on the
// controller per run, the client on the board over its own management
// session (so the Board adapter can probe while a step streams). Live
// interval lines become samples; a dead server is ServerDied (INFRA_ERROR);
// a stalled client is Stalled (the protocol's watchdog decides WEDGED or
// HOST_DOWN). After a step that did not end cleanly the server is restarted,
// since iperf3 may still sit in the broken test.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "config/config.hpp"
#include "phases/ports.hpp"
#include "rig/iperf3/server.hpp"
#include "rig/ssh/connect_board.hpp"

namespace besrig::phases {

class IperfTraffic : public Traffic {
public:
    IperfTraffic(const RigConfig& config, ConnectOptions options, std::filesystem::path work_dir);
    ~IperfTraffic() override;

    void start_server() override;
    bool server_alive() override;
    StepResult run_step(const StepConfig& step, const std::string& board_address,
                        const std::function<void(const Sample&)>& on_sample,
                        const std::function<bool()>& keep_going) override;
    void stop_server() override;

private:
    Remote& remote();
    const RigConfig& config_;
    ConnectOptions options_;
    std::filesystem::path work_dir_;
    std::unique_ptr<Iperf3Server> server_;
    std::unique_ptr<Remote> remote_;
    std::string client_version_;
    bool json_stream_ = false;
};

}  // namespace besrig::phases
