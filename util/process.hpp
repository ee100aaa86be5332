// Local child processes: a seam (ProcessRunner) for one-shot commands with a
// deadline, and an owner (Child) for long-running ones (iperf3 server, QEMU)
// that is killed when its owner goes away, on every exit path.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace besrig {

struct ProcessSpec {
    std::vector<std::string> argv;
    std::optional<std::filesystem::path> cwd;
    std::vector<std::pair<std::string, std::string>> env;  // added to the inherited environment
    std::chrono::milliseconds timeout{0};                  // 0: no deadline
    std::string stdin_data;
};

struct ProcessResult {
    int exit_code = -1;     // valid when !signaled and !timed_out
    int term_signal = 0;    // the signal that ended it, if any
    bool timed_out = false; // killed by us at the deadline
    std::string out;
    std::string err;
    double seconds = 0;

    bool success() const { return !timed_out && term_signal == 0 && exit_code == 0; }
    // "exit 3", "killed by signal 9", "timed out after 5.0 s".
    std::string describe() const;
};

class ProcessRunner {
public:
    virtual ~ProcessRunner() = default;
    // Runs to completion (or the deadline). Throws Error(Infra) only when the
    // program cannot be started at all, naming it.
    virtual ProcessResult run(const ProcessSpec& spec) = 0;
};

class LocalProcessRunner final : public ProcessRunner {
public:
    ProcessResult run(const ProcessSpec& spec) override;
};

// Finds an executable on PATH; nullopt when absent.
std::optional<std::filesystem::path> find_program(const std::string& name);

// A started background process. Move-only; the destructor sends SIGTERM, then
// SIGKILL after a grace period, and reaps it. A controller killed outright
// (SIGKILL, OOM) runs no destructor: on Linux the child is then killed by the
// kernel (PR_SET_PDEATHSIG), so no orphan keeps a port or a file open.
class Child {
public:
    struct Options {
        std::optional<std::filesystem::path> stdout_file;  // else /dev/null
        std::optional<std::filesystem::path> stderr_file;  // else same as stdout
        bool new_session = true;                           // own process group, immune to the terminal's ^C
        bool die_with_parent = true;                       // SIGKILL when the controller dies (Linux)
    };
    static Child spawn(const std::vector<std::string>& argv, const Options& options);
    static Child spawn(const std::vector<std::string>& argv) { return spawn(argv, Options{}); }

    Child() = default;
    Child(Child&& other) noexcept : pid_(std::exchange(other.pid_, -1)), status_(other.status_) {}
    Child& operator=(Child&& other) noexcept;
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child();

    pid_t pid() const { return pid_; }
    bool running();                    // reaps if it has exited
    std::optional<int> exit_status();  // raw wait status once exited
    void terminate(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));
    // Forget the process without killing it (it outlives us, e.g. a booted board).
    pid_t release() { return std::exchange(pid_, -1); }

private:
    explicit Child(pid_t pid) : pid_(pid) {}
    pid_t pid_ = -1;
    std::optional<int> status_;
};

bool process_alive(pid_t pid);

}  // namespace besrig
