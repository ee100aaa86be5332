// A child process the benchmark measures: wall time, CPU time and peak RSS
// (wait4's rusage of that one child, so other children never blur it). The
// benchmark keeps working while it runs (injecting faults, polling the
// store), so start and finish are separate; the destructor sends SIGTERM
// (a besrig run rolls back on it), then SIGKILL, so nothing outlives us.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace besrig::bench {

struct ChildUsage {
    int exit_code = -1;   // valid when term_signal == 0
    int term_signal = 0;
    bool timed_out = false;
    double wall_s = 0;
    double cpu_s = 0;     // user + system
    long max_rss_kb = 0;  // peak resident set (VmHWM) of the child itself
    std::string out;      // stdout (read back from its file)
    std::string err;      // the tail of stderr
    bool ok() const { return !timed_out && term_signal == 0 && exit_code == 0; }
    std::string describe() const;  // "exit 2", "killed by signal 9", "timed out"
};

class MeasuredChild {
public:
    // argv[0] is looked up on PATH. stdout and stderr go to files in `dir`
    // (named after `tag`), so a chatty child never blocks on a pipe.
    static MeasuredChild start(const std::vector<std::string>& argv, const std::filesystem::path& dir,
                               const std::string& tag);
    MeasuredChild() = default;
    MeasuredChild(MeasuredChild&& o) noexcept;
    MeasuredChild& operator=(MeasuredChild&& o) noexcept;
    MeasuredChild(const MeasuredChild&) = delete;
    MeasuredChild& operator=(const MeasuredChild&) = delete;
    ~MeasuredChild();

    pid_t pid() const { return pid_; }
    bool running();  // reaps (and records usage) once it has exited
    // Waits up to `timeout` (0: forever); at the deadline SIGTERM, then SIGKILL.
    ChildUsage finish(std::chrono::milliseconds timeout);

private:
    bool reap(int flags);
    void kill_and_reap();
    pid_t pid_ = -1;
    std::chrono::steady_clock::time_point started_;
    std::filesystem::path out_, err_;
    std::optional<ChildUsage> usage_;
};

// Runs to completion: start + finish.
ChildUsage run_measured(const std::vector<std::string>& argv, const std::filesystem::path& dir, const std::string& tag,
                        std::chrono::milliseconds timeout);

}  // namespace besrig::bench
