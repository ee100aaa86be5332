#include "rig/iperf3/server.hpp"

#include <sys/wait.h>
#include <thread>

#include "rig/iperf3/json_parser.hpp"
#include "rig/iperf3/json_text.hpp"
#include "rig/iperf3/ports.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using Clock = std::chrono::steady_clock;

std::string describe_wait_status(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "ended (wait status " + std::to_string(status) + ")";
}

std::string read_or_empty(const std::filesystem::path& p) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) return {};
    try {
        return read_file(p);
    } catch (const Error&) {
        return {};
    }
}

std::optional<Iperf3Version> binary_version(const std::string& binary) {
    try {
        LocalProcessRunner runner;
        const auto r = runner.run(ProcessSpec{{binary, "--version"}, {}, {}, std::chrono::milliseconds(5000), {}});
        return parse_iperf3_version(r.out + r.err);
    } catch (const Error&) {
        return std::nullopt;
    }
}

}  // namespace

std::unique_ptr<Iperf3Server> Iperf3Server::start(const Iperf3ServerOptions& options) {
    if (!find_program(options.binary))
        throw_infra("iperf3 server: `" + options.binary + "` not found on the controller (install iperf3)");
    std::unique_ptr<Iperf3Server> server(new Iperf3Server(options));
    if (server->options_.work_dir.empty()) server->options_.work_dir = std::filesystem::temp_directory_path() / "besrig-iperf3";
    std::error_code ec;
    std::filesystem::create_directories(server->options_.work_dir, ec);
    if (ec) throw_infra("iperf3 server: cannot create " + server->options_.work_dir.string() + ": " + ec.message());
    server->version_ = binary_version(options.binary);

    // Another process may take a free port between our check and the
    // server's bind (the controller is shared): then try the next one.
    int next = options.port_base;
    std::string last_problem = "no port tried";
    for (int attempt = 0; attempt < 5; ++attempt) {
        const auto port = find_free_tcp_port(options.bind_address, next, options.port_base + options.port_span - next);
        if (!port) break;
        next = *port + 1;
        server->launch(*port);
        const auto deadline = Clock::now() + options.ready_timeout;
        while (Clock::now() < deadline) {
            if (process_listens_on(server->child_.pid(), *port)) return server;
            if (!server->child_.running()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        last_problem = "port " + std::to_string(*port) + ": " +
                       (server->child_.running() ? "not listening after " + format_seconds(
                                                       std::chrono::duration<double>(options.ready_timeout).count())
                                                 : describe_wait_status(server->child_.exit_status().value_or(0))) +
                       server->tail_of_outputs();
        server->child_.terminate();
    }
    throw_infra("iperf3 server `" + shell_join(server->argv_.empty() ? std::vector<std::string>{options.binary}
                                                                     : server->argv_) +
                "` could not start on " + (options.bind_address.empty() ? "any address" : options.bind_address) +
                ", ports " + std::to_string(options.port_base) + "-" +
                std::to_string(options.port_base + options.port_span - 1) + ": " + last_problem);
}

Iperf3Server::~Iperf3Server() { stop(); }

pid_t Iperf3Server::pid() const { return child_.pid(); }

void Iperf3Server::launch(int port) {
    port_ = port;
    for (int n = 1;; ++n) {
        const auto stem = "iperf3-server-" + std::to_string(port) + (n > 1 ? "-" + std::to_string(n) : "");
        json_path_ = options_.work_dir / (stem + ".json");
        log_path_ = options_.work_dir / (stem + ".log");
        if (!std::filesystem::exists(json_path_) && !std::filesystem::exists(log_path_)) break;
    }
    argv_ = {options_.binary, "-s", "-J", "-p", std::to_string(port)};
    if (!options_.bind_address.empty()) {
        argv_.push_back("-B");
        argv_.push_back(options_.bind_address);
    }
    Child::Options o;
    o.stdout_file = json_path_;
    o.stderr_file = log_path_;
    child_ = Child::spawn(argv_, o);
    consumed_ = 0;
    stopped_ = false;
}

std::string Iperf3Server::tail_of_outputs() const {
    std::string out;
    const auto json_text = read_or_empty(json_path_);
    const auto spans = find_json_objects(json_text);
    if (!spans.empty()) {
        const auto& last = spans.back();
        auto r = parse_iperf3_json(std::string_view(json_text).substr(last.begin, last.end - last.begin), json_path_.string());
        if (r && r->has_error()) out += "; iperf3 said: " + printable(r->error, 200);
    }
    const auto log = std::string(trim(read_or_empty(log_path_)));
    if (!log.empty()) out += "; log " + log_path_.string() + ": " + printable(log.size() > 300 ? log.substr(log.size() - 300) : log, 300);
    return out;
}

std::optional<std::string> Iperf3Server::failure() {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string who = "iperf3 server (" + (options_.bind_address.empty() ? std::string("*") : options_.bind_address) +
                            ":" + std::to_string(port_) + ")";
    if (stopped_) return who + " was stopped";
    if (child_.running()) return std::nullopt;
    const auto status = child_.exit_status();
    return who + " " + (status ? describe_wait_status(*status) : std::string("is gone")) + tail_of_outputs();
}

Result<Iperf3Result, Iperf3ParseError> Iperf3Server::next_result(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
        const bool dead = failure().has_value();  // read after checking, so a last write is seen
        const auto text = read_or_empty(json_path_);
        if (text.size() > consumed_) {
            const auto rest = std::string_view(text).substr(consumed_);
            const auto spans = find_json_objects(rest);
            if (!spans.empty()) {
                const auto doc = rest.substr(spans[0].begin, spans[0].end - spans[0].begin);
                consumed_ += spans[0].end;
                return parse_iperf3_json(doc, json_path_.string());
            }
        }
        if (dead) {
            return fail(Iperf3ParseError{json_path_.string(), "end of file",
                                         "no test result: " + failure().value_or("the server ended")});
        }
        if (Clock::now() >= deadline) {
            return fail(Iperf3ParseError{json_path_.string(), "end of file",
                                         "the server wrote no test result within " +
                                             format_seconds(std::chrono::duration<double>(timeout).count())});
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

void Iperf3Server::restart() {
    // One lock throughout: a watchdog asking failure() meanwhile waits for
    // the new server instead of seeing the old one "stopped".
    std::lock_guard<std::mutex> lock(mutex_);
    const int port = port_;
    child_.terminate(std::chrono::milliseconds(1000));
    launch(port);
    const auto deadline = Clock::now() + options_.ready_timeout;
    while (Clock::now() < deadline) {
        if (process_listens_on(child_.pid(), port)) return;
        if (!child_.running()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const std::string why = tail_of_outputs();
    child_.terminate();
    stopped_ = true;
    throw_infra("iperf3 server could not restart on port " + std::to_string(port) + why);
}

void Iperf3Server::stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    child_.terminate(std::chrono::milliseconds(1000));
    stopped_ = true;
}

}  // namespace besrig
