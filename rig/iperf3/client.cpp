#include "rig/iperf3/client.hpp"

#include <cmath>
#include <exception>

#include "rig/iperf3/live_parser.hpp"
#include "rig/iperf3/server.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Watches the samples and the clock for a data path that stopped.
class StallWatch {
public:
    StallWatch(const Iperf3StallPolicy& policy, double first_line_allowance_s)
        : policy_(policy), allowance_s_(first_line_allowance_s) {}

    std::optional<Iperf3Stall> on_sample(const Iperf3Sample& s) {
        last_line_ = Clock::now();
        seen_sample_ = true;
        silent_reported_ = false;
        if (s.bits_per_second > policy_.zero_bps) {
            zero_since_.reset();
            zero_reported_ = false;
            return std::nullopt;
        }
        if (!zero_since_) zero_since_ = s.start;
        if (!zero_reported_ && s.end - *zero_since_ >= policy_.zero_s - 1e-6) {
            zero_reported_ = true;
            return Iperf3Stall{Iperf3Stall::Kind::Zero, since(start_), *zero_since_};
        }
        return std::nullopt;
    }

    std::optional<Iperf3Stall> on_tick() {
        const double limit = policy_.silent_s + (seen_sample_ ? 0 : allowance_s_);
        if (silent_reported_ || since(last_line_) < limit) return std::nullopt;
        silent_reported_ = true;
        return Iperf3Stall{Iperf3Stall::Kind::Silent, since(start_),
                           std::chrono::duration<double>(last_line_ - start_).count()};
    }

private:
    Iperf3StallPolicy policy_;
    double allowance_s_;
    Clock::time_point start_ = Clock::now();
    Clock::time_point last_line_ = Clock::now();
    bool seen_sample_ = false;
    bool silent_reported_ = false;
    std::optional<double> zero_since_;
    bool zero_reported_ = false;
};

}  // namespace

std::string Iperf3Stall::describe() const {
    if (kind == Kind::Silent)
        return "no iperf3 interval for " + format_seconds(detected_s - last_moving_s) + " (last at +" +
               format_seconds(last_moving_s) + ")";
    return "iperf3 intervals at zero since +" + format_seconds(last_moving_s) + " (test clock)";
}

std::string to_string(Iperf3Outcome outcome) {
    switch (outcome) {
    case Iperf3Outcome::Completed: return "completed";
    case Iperf3Outcome::Iperf3Error: return "iperf3 error";
    case Iperf3Outcome::ServerFailed: return "iperf3 server failed";
    case Iperf3Outcome::RemoteFailed: return "management link failed";
    case Iperf3Outcome::TimedOut: return "timed out";
    case Iperf3Outcome::Cancelled: return "cancelled";
    }
    return "unknown";
}

std::uint64_t iperf3_per_stream_bitrate(double rate_mbytes, int streams) {
    if (rate_mbytes <= 0 || streams <= 0) return 0;
    return static_cast<std::uint64_t>(std::llround(rate_mbytes * 8e6 / streams));
}

Iperf3ClientSpec iperf3_client_spec(const StepConfig& step, const std::string& binary,
                                    const std::string& server_address, int port, const std::string& bind_address) {
    const std::string where = "profile step \"" + step.name + "\"";
    Iperf3ClientSpec spec;
    spec.binary = binary.empty() ? "iperf3" : binary;
    spec.server_address = server_address;
    spec.port = port;
    spec.bind_address = bind_address;
    if (step.direction == "rx") spec.flow = Iperf3Flow::ServerToClient;
    else if (step.direction == "tx") spec.flow = Iperf3Flow::ClientToServer;
    else throw_config(where + ": direction \"" + printable(step.direction, 20) + "\" is not \"rx\" or \"tx\"");
    if (!std::isfinite(step.rate_mbytes) || step.rate_mbytes < 0)
        throw_config(where + ": rate_mbytes must be >= 0 (0 = unlimited)");
    if (step.streams < 1 || step.streams > 128) throw_config(where + ": streams must be 1..128");
    if (step.seconds < 1) throw_config(where + ": seconds must be >= 1");
    if (step.omit < 0) throw_config(where + ": omit must be >= 0");
    if (server_address.empty()) throw_config(where + ": no iperf3 server address (iperf3.server_address)");
    spec.rate_mbytes = step.rate_mbytes;
    spec.streams = step.streams;
    spec.seconds = step.seconds;
    spec.omit = step.omit;
    return spec;
}

std::vector<std::string> iperf3_client_argv(const Iperf3ClientSpec& spec) {
    std::vector<std::string> argv = {spec.binary, "-c", spec.server_address, "-p", std::to_string(spec.port)};
    if (!spec.bind_address.empty()) {
        argv.push_back("-B");
        argv.push_back(spec.bind_address);
    }
    if (spec.flow == Iperf3Flow::ServerToClient) argv.push_back("-R");
    argv.insert(argv.end(), {"-P", std::to_string(spec.streams), "-t", std::to_string(spec.seconds)});
    if (spec.omit > 0) argv.insert(argv.end(), {"-O", std::to_string(spec.omit)});
    if (const auto bits = iperf3_per_stream_bitrate(spec.rate_mbytes, spec.streams); bits > 0)
        argv.insert(argv.end(), {"-b", std::to_string(bits)});
    argv.insert(argv.end(), {"-i", "1", "--forceflush", "-f", "k"});
    if (spec.connect_timeout_ms > 0)
        argv.insert(argv.end(), {"--connect-timeout", std::to_string(spec.connect_timeout_ms)});
    if (spec.json_stream) argv.insert(argv.end(), {"-J", "--json-stream"});
    return argv;
}

Iperf3ClientRun run_iperf3_client(Remote& remote, const Iperf3ClientSpec& spec, const Iperf3StallPolicy& policy,
                                  const Iperf3RunHooks& hooks) {
    const auto started = Clock::now();
    const double connect_s = spec.connect_timeout_ms > 0 ? spec.connect_timeout_ms / 1000.0 : 10.0;
    auto parser = spec.json_stream ? make_iperf3_json_stream_parser("iperf3 client on " + remote.where())
                                   : make_iperf3_text_parser({spec.streams, spec.flow == Iperf3Flow::ServerToClient, false});
    StallWatch watch(policy, connect_s);
    Iperf3ClientRun run;
    bool cancelled = false;
    std::optional<std::string> server_failed;
    std::exception_ptr callback_failure;  // rethrown once the client is stopped

    auto report_stall = [&](const std::optional<Iperf3Stall>& stall) {
        if (!stall) return;
        run.stalls.push_back(*stall);
        if (hooks.on_stall) hooks.on_stall(*stall);
    };
    StreamOptions options;
    std::string last_stdout;  // shown when the output ends where no iperf3 ends
    options.on_stdout = [&](const std::string& line) {
        last_stdout = line;
        if (callback_failure) return;
        try {
            for (const auto& s : parser->feed(line)) {
                if (hooks.on_sample) hooks.on_sample(s);
                report_stall(watch.on_sample(s));
            }
        } catch (...) {
            callback_failure = std::current_exception();
        }
    };
    options.on_stderr = [&](const std::string& line) {
        parser->feed_stderr(line);
        if (run.stderr_lines.size() < 100) run.stderr_lines.push_back(printable(line, 300));
    };
    options.keep_going = [&]() {
        if (callback_failure) return false;
        try {
            if (hooks.keep_going && !hooks.keep_going()) {
                cancelled = true;
                return false;
            }
            if (hooks.server_failure) {
                if (auto f = hooks.server_failure()) {
                    server_failed = f;
                    return false;
                }
            }
            report_stall(watch.on_tick());
        } catch (...) {
            callback_failure = std::current_exception();
            return false;
        }
        return true;
    };
    const double budget_s = spec.omit + spec.seconds + connect_s + 20 + policy.link_grace_s;
    options.timeout = std::chrono::milliseconds(static_cast<long long>(budget_s * 1000));
    options.link_grace = std::chrono::milliseconds(static_cast<long long>(policy.link_grace_s * 1000));

    const auto status = remote.stream(iperf3_client_argv(spec), options);
    run.seconds = since(started);
    run.result = parser->result();
    if (callback_failure) std::rethrow_exception(callback_failure);
    if (!server_failed && hooks.server_failure) server_failed = hooks.server_failure();

    if (status) run.exit_status = *status;
    else run.remote_error = status.error();
    if (server_failed) {
        run.outcome = Iperf3Outcome::ServerFailed;
        run.detail = *server_failed;
    } else if (cancelled) {
        run.outcome = Iperf3Outcome::Cancelled;
        run.detail = "stopped by the caller after " + format_seconds(run.seconds);
    } else if (!status) {
        const bool timeout = status.error().kind == RemoteErrorKind::Timeout;
        run.outcome = timeout ? Iperf3Outcome::TimedOut : Iperf3Outcome::RemoteFailed;
        run.detail = status.error().describe();
    } else if (run.result.has_error()) {
        run.outcome = Iperf3Outcome::Iperf3Error;
        run.detail = "iperf3: " + run.result.error + " (exit " + std::to_string(*status) + ")";
    } else if (*status != 0) {
        run.outcome = Iperf3Outcome::Iperf3Error;
        run.detail = "iperf3 client exited with status " + std::to_string(*status) +
                     (run.stderr_lines.empty() ? "" : ": " + run.stderr_lines.back());
    } else if (!parser->finished()) {
        run.outcome = Iperf3Outcome::Iperf3Error;
        // Exit 0 without the end of a test: not what iperf3 prints (cut short, or not iperf3).
        run.detail = "`" + shell_join(iperf3_client_argv(spec)) + "` on " + remote.where() +
                     " exited 0 but its output ended before the test did; last line: \"" + printable(last_stdout, 200) +
                     "\"";
    }
    return run;
}

Result<Iperf3Version, std::string> detect_remote_iperf3_version(Remote& remote, const std::string& binary,
                                                                std::chrono::milliseconds timeout) {
    auto r = remote.run({binary, "--version"}, timeout);
    if (!r) return fail(r.error().describe());
    if (auto v = parse_iperf3_version(r->out + "\n" + r->err)) return *v;
    return fail(remote.where() + ": `" + binary + " --version` did not name an iperf3 3.x (exit " +
                std::to_string(r->exit_status) + "): " + printable(trim(r->out + r->err), 120));
}

Iperf3StepResult run_iperf3_step(Remote& remote, Iperf3Server& server, const Iperf3ClientSpec& spec,
                                 const Iperf3StallPolicy& policy, Iperf3RunHooks hooks,
                                 const std::string& client_version) {
    Iperf3StepResult step;
    step.client_version = client_version;
    if (server.version()) step.server_version = server.version()->text;
    if (!hooks.server_failure) hooks.server_failure = [&server] { return server.failure(); };
    step.client = run_iperf3_client(remote, spec, policy, hooks);
    if (step.client.outcome == Iperf3Outcome::ServerFailed) return step;
    if (step.client.outcome == Iperf3Outcome::Completed) {
        auto doc = server.next_result(std::chrono::milliseconds(5000));
        if (doc) step.server = std::move(doc.value());
        else step.server_error = doc.error();
        return step;
    }
    // A test that went wrong can leave the server inside it (until its own
    // timeouts) and its JSON out of step with the next test: start afresh.
    try {
        server.restart();
    } catch (const Error& e) {
        step.server_error = Iperf3ParseError{server.json_path().string(), "restart", e.what()};
    }
    return step;
}

}  // namespace besrig
