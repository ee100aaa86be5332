// phases::Traffic bound to rig/iperf3: the run's iperf3 server on the
// controller (unless the config names another peer, which then runs its own)
// and the client on the board through the Remote seam.
//
// StepResult mapping: Completed -> Ok; stopped by keep_going() -> Stopped;
// the server died -> ServerDied (INFRA); iperf3 gave up with the data path at
// zero or silent (its idle timeout, "the server has terminated" after a
// stall), or no end within the deadline -> Stalled; anything else the client
// or the management link reported -> ClientFailed, with iperf3's own words.
// Samples carry t = seconds since the step started: warm-up intervals (-O)
// restart iperf3's clock at zero, so counted intervals are shifted by `omit`.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "phases/ports.hpp"
#include "rig/iperf3/client.hpp"
#include "rig/iperf3/server.hpp"
#include "rig/ssh/remote.hpp"

namespace besrig::phases {

class Iperf3Traffic final : public Traffic {
public:
    // `work_dir` receives the server's JSON and log (the run's artifacts dir).
    Iperf3Traffic(Remote& board, const RigConfig& config, std::filesystem::path work_dir);
    ~Iperf3Traffic() override;

    void start_server() override;
    bool server_alive() override;
    StepResult run_step(const StepConfig& step, const std::string& board_address,
                        const std::function<void(const Sample&)>& on_sample,
                        const std::function<bool()>& keep_going) override;
    void stop_server() override;

    // The last step's full record (client live result, server JSON), for storing.
    const std::optional<Iperf3StepResult>& last_step() const { return last_; }
    Iperf3StallPolicy stall_policy;  // defaults from timeouts.wedge_s
    pid_t server_pid_for_tests() const { return server_ ? server_->pid() : -1; }

private:
    bool own_server() const;
    const std::string& board_version();

    Remote& board_;
    const RigConfig& config_;
    std::filesystem::path work_dir_;
    std::unique_ptr<Iperf3Server> server_;
    std::optional<std::string> board_version_;
    bool board_json_stream_ = false;
    bool board_connect_timeout_ = true;
    std::optional<Iperf3StepResult> last_;
};

}  // namespace besrig::phases
