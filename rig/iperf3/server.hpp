// The iperf3 server on the controller, one per run on a port of its own.
//
// `iperf3 -s -J -B <bind> -p <port>` (persistent: one server serves every
// step of the run, so a step does not pay a start-up, and a crash of the
// server between steps is noticed). Its stdout is the per-test JSON the
// server writes when each test ends (appended, one document per test: read
// by next_result()); its stderr goes to a log beside it. The JSON is the
// server's own view: exact byte counts for the end it plays (the receiver
// when the board transmits, the sender when it receives) and the server's
// iperf3 version.
//
// Owned by a Child: killed on every exit path (destructor, exceptions, the
// run's own end). failure() is the health check the wedge watchdog asks: a
// dead server is an infrastructure error (INFRA_ERROR), never a patch
// failure. After a test that went wrong (the board stalled mid-test) the
// server may sit in that test until its own timeouts: restart() gives a
// fresh one on the same port.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "rig/iperf3/result.hpp"
#include "rig/iperf3/version.hpp"
#include "util/process.hpp"
#include "util/result.hpp"

namespace besrig {

struct Iperf3ServerOptions {
    std::string binary = "iperf3";
    std::string bind_address;  // -B; empty: every address
    int port_base = 5201;      // the first port tried
    int port_span = 200;       // how many ports after it may be tried
    std::filesystem::path work_dir;  // iperf3-server-<port>.json and .log go here (empty: $TMPDIR/besrig-iperf3)
    std::chrono::milliseconds ready_timeout{5000};
};

class Iperf3Server {
public:
    // Starts the server and waits until it listens. Throws Error(Infra)
    // naming the binary, port and what the server said.
    static std::unique_ptr<Iperf3Server> start(const Iperf3ServerOptions& options);
    ~Iperf3Server();
    Iperf3Server(const Iperf3Server&) = delete;
    Iperf3Server& operator=(const Iperf3Server&) = delete;

    int port() const { return port_; }
    pid_t pid() const;
    const std::filesystem::path& json_path() const { return json_path_; }
    const std::filesystem::path& log_path() const { return log_path_; }
    const std::vector<std::string>& argv() const { return argv_; }
    // `iperf3 --version` of the binary that runs (nullopt if it did not say).
    const std::optional<Iperf3Version>& version() const { return version_; }

    // nullopt while the server runs; otherwise what became of it, e.g.
    // "iperf3 server (port 5301) killed by signal 9; log: ...". Thread-safe.
    std::optional<std::string> failure();

    // The next per-test document the server writes, waiting up to `timeout`
    // (a test's JSON lands just after the client finishes). Like restart()
    // and stop(), called from the thread that runs the steps.
    Result<Iperf3Result, Iperf3ParseError> next_result(std::chrono::milliseconds timeout);

    // Kills the server and starts a fresh one on the same port.
    void restart();
    // Kills it now (also done by the destructor).
    void stop();

private:
    explicit Iperf3Server(Iperf3ServerOptions options) : options_(std::move(options)) {}
    void launch(int port);
    std::string tail_of_outputs() const;

    Iperf3ServerOptions options_;
    std::mutex mutex_;
    Child child_;
    int port_ = 0;
    std::filesystem::path json_path_;
    std::filesystem::path log_path_;
    std::vector<std::string> argv_;
    std::optional<Iperf3Version> version_;
    std::size_t consumed_ = 0;  // bytes of json_path_ already returned by next_result()
    bool stopped_ = false;
};

}  // namespace besrig
