#include "phases/adapters/iperf3_traffic.hpp"

namespace besrig::phases {

Iperf3Traffic::Iperf3Traffic(Remote& board, const RigConfig& config, std::filesystem::path work_dir)
    : board_(board), config_(config), work_dir_(std::move(work_dir)) {
    stall_policy.silent_s = config.timeouts.wedge_s;
    stall_policy.zero_s = config.timeouts.wedge_s;
}

Iperf3Traffic::~Iperf3Traffic() = default;

bool Iperf3Traffic::own_server() const { return config_.iperf3.peer.empty() || config_.iperf3.peer == "controller"; }

void Iperf3Traffic::start_server() {
    if (!own_server() || server_) return;
    Iperf3ServerOptions o;
    if (!config_.iperf3.controller_binary.empty()) o.binary = config_.iperf3.controller_binary;
    o.bind_address = config_.iperf3.server_bind;
    o.port_base = config_.iperf3.port;
    o.work_dir = work_dir_;
    server_ = Iperf3Server::start(o);
}

bool Iperf3Traffic::server_alive() { return !own_server() || (server_ && !server_->failure()); }

void Iperf3Traffic::stop_server() { server_.reset(); }

const std::string& Iperf3Traffic::board_version() {
    if (!board_version_) {
        const std::string binary = config_.iperf3.board_binary.empty() ? "iperf3" : config_.iperf3.board_binary;
        // Unknown version: the text lines work with every iperf3, so go on
        // with them; the step records the version as unknown.
        const auto v = detect_remote_iperf3_version(
            board_, binary, std::chrono::milliseconds(static_cast<long long>(config_.timeouts.command_s * 1000)));
        board_json_stream_ = v.ok() && v->has_json_stream();
        board_connect_timeout_ = !v.ok() || v->at_least(3, 2);
        board_version_ = v.ok() ? v->text : std::string();
    }
    return *board_version_;
}

StepResult Iperf3Traffic::run_step(const StepConfig& step, const std::string& board_address,
                                   const std::function<void(const Sample&)>& on_sample,
                                   const std::function<bool()>& keep_going) {
    const std::string client_version = board_version();
    const int port = server_ ? server_->port() : config_.iperf3.port;
    auto spec = iperf3_client_spec(step, config_.iperf3.board_binary, config_.iperf3.server_address, port, board_address);
    spec.json_stream = board_json_stream_;
    spec.connect_timeout_ms = board_connect_timeout_ ? static_cast<int>(config_.timeouts.connect_s * 1000) : 0;

    Iperf3RunHooks hooks;
    hooks.on_sample = [&](const Iperf3Sample& s) {
        if (on_sample) on_sample(Sample{s.omitted ? s.end : s.end + step.omit, s.mbytes_per_second(), s.omitted});
    };
    hooks.keep_going = keep_going;
    Iperf3StepResult r;
    if (server_) {
        r = run_iperf3_step(board_, *server_, spec, stall_policy, hooks, client_version);
    } else {
        r.client = run_iperf3_client(board_, spec, stall_policy, hooks);
        r.client_version = client_version;
    }

    StepResult out;
    out.client_version = r.client_version;
    out.server_version = r.server_version;
    out.error = r.client.detail;
    const bool stalled = !r.client.stalls.empty();
    switch (r.client.outcome) {
    case Iperf3Outcome::Completed: out.status = StepResult::Status::Ok; break;
    case Iperf3Outcome::Cancelled: out.status = StepResult::Status::Stopped; break;
    case Iperf3Outcome::ServerFailed: out.status = StepResult::Status::ServerDied; break;
    case Iperf3Outcome::TimedOut: out.status = StepResult::Status::Stalled; break;
    case Iperf3Outcome::Iperf3Error:
        out.status = stalled ? StepResult::Status::Stalled : StepResult::Status::ClientFailed;
        break;
    case Iperf3Outcome::RemoteFailed: out.status = StepResult::Status::ClientFailed; break;
    }
    if (r.server_error && out.error.empty()) out.error = r.server_error->describe();
    last_ = std::move(r);
    return out;
}

}  // namespace besrig::phases
