#include "phases/adapters/iperf_traffic.hpp"

#include "phases/adapters/real_board.hpp"
#include "rig/iperf3/client.hpp"
#include "util/error.hpp"

namespace besrig::phases {

IperfTraffic::IperfTraffic(const RigConfig& config, ConnectOptions options, std::filesystem::path work_dir)
    : config_(config), options_(options), work_dir_(std::move(work_dir)) {}

IperfTraffic::~IperfTraffic() = default;

Remote& IperfTraffic::remote() {
    if (!remote_) {
        remote_ = connect_or_throw(config_, options_);
        auto v = detect_remote_iperf3_version(*remote_, config_.iperf3.board_binary, std::chrono::seconds(10));
        if (!v) throw_infra("iperf3 on the board: " + v.error());
        client_version_ = v->text;
        json_stream_ = v->has_json_stream();
    }
    return *remote_;
}

void IperfTraffic::start_server() {
    if (config_.iperf3.peer != "controller")
        throw_infra("iperf3.peer \"" + config_.iperf3.peer +
                    "\": only a server on the controller is supported so far (set iperf3.peer to \"controller\")");
    Iperf3ServerOptions o;
    o.binary = config_.iperf3.controller_binary;
    o.bind_address = config_.iperf3.server_bind;
    o.port_base = config_.iperf3.port;
    o.work_dir = work_dir_;
    server_ = Iperf3Server::start(o);
    remote();
}

bool IperfTraffic::server_alive() { return server_ && !server_->failure(); }

StepResult IperfTraffic::run_step(const StepConfig& step, const std::string& board_address,
                                  const std::function<void(const Sample&)>& on_sample,
                                  const std::function<bool()>& keep_going) {
    if (!server_) throw_infra("internal: iperf3 server not started");
    auto spec = iperf3_client_spec(step, config_.iperf3.board_binary, config_.iperf3.server_address, server_->port(),
                                   board_address);
    spec.json_stream = json_stream_;
    Iperf3StallPolicy policy;
    policy.silent_s = config_.timeouts.wedge_s;
    policy.zero_s = config_.timeouts.wedge_s;
    // The watchdog decides HOST_DOWN after host_down_s; until then (and one
    // probe round more) the stream must survive a silent management link.
    policy.link_grace_s = config_.timeouts.host_down_s + 2 * config_.timeouts.connect_s;
    Iperf3RunHooks hooks;
    hooks.on_sample = [&](const Iperf3Sample& s) {
        // iperf3's clock restarts at 0 after the warm-up: counted intervals follow it.
        on_sample(Sample{s.omitted ? s.end : s.end + step.omit, s.mbytes_per_second(), s.omitted});
    };
    hooks.keep_going = keep_going;
    hooks.server_failure = [this] { return server_->failure(); };
    const auto r = run_iperf3_step(remote(), *server_, spec, policy, hooks, client_version_);
    StepResult out;
    out.client_version = r.client_version;
    out.server_version = r.server_version;
    out.error = r.client.detail;
    switch (r.client.outcome) {
    case Iperf3Outcome::Completed: out.status = StepResult::Status::Ok; break;
    case Iperf3Outcome::Cancelled: out.status = StepResult::Status::Stopped; break;
    case Iperf3Outcome::ServerFailed: out.status = StepResult::Status::ServerDied; break;
    case Iperf3Outcome::TimedOut: out.status = StepResult::Status::Stalled; break;
    case Iperf3Outcome::RemoteFailed:
        remote_.reset();
        out.status = StepResult::Status::Stalled;
        break;
    case Iperf3Outcome::Iperf3Error:
        out.status = r.client.stalls.empty() ? StepResult::Status::ClientFailed : StepResult::Status::Stalled;
        break;
    }
    // run_iperf3_step already restarted the server after a step that did not complete.
    return out;
}

void IperfTraffic::stop_server() {
    server_.reset();
    remote_.reset();
}

}  // namespace besrig::phases
