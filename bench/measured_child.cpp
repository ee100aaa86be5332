#include "bench/measured_child.hpp"

#include <csignal>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "util/error.hpp"
#include "util/fs.hpp"

namespace besrig::bench {
namespace {

double tv_seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; }

std::string read_tail(const std::filesystem::path& p, std::size_t max) {
    std::string s;
    try {
        s = read_file(p);
    } catch (const Error&) {
        return "";
    }
    return s.size() > max ? s.substr(s.size() - max) : s;
}

}  // namespace

std::string ChildUsage::describe() const {
    if (timed_out) return "timed out after " + std::to_string(static_cast<int>(wall_s)) + " s";
    if (term_signal != 0) return "killed by signal " + std::to_string(term_signal);
    return "exit " + std::to_string(exit_code);
}

MeasuredChild MeasuredChild::start(const std::vector<std::string>& argv, const std::filesystem::path& dir,
                                   const std::string& tag) {
    if (argv.empty()) throw_infra("bench: no program to start");
    MeasuredChild c;
    c.out_ = dir / (tag + ".out");
    c.err_ = dir / (tag + ".err");
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const std::string out = c.out_.string(), err = c.err_.string();
    c.started_ = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) throw_infra("bench: cannot fork for " + argv[0]);
    if (pid == 0) {
        const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (o < 0 || e < 0 || in < 0) ::_exit(126);
        ::dup2(in, 0);
        ::dup2(o, 1);
        ::dup2(e, 2);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    c.pid_ = pid;
    return c;
}

MeasuredChild::MeasuredChild(MeasuredChild&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)), started_(o.started_), out_(std::move(o.out_)), err_(std::move(o.err_)),
      usage_(std::move(o.usage_)) {}

MeasuredChild& MeasuredChild::operator=(MeasuredChild&& o) noexcept {
    if (this != &o) {
        kill_and_reap();
        pid_ = std::exchange(o.pid_, -1);
        started_ = o.started_;
        out_ = std::move(o.out_);
        err_ = std::move(o.err_);
        usage_ = std::move(o.usage_);
    }
    return *this;
}

MeasuredChild::~MeasuredChild() { kill_and_reap(); }

bool MeasuredChild::reap(int flags) {
    if (pid_ < 0 || usage_) return true;
    int status = 0;
    rusage ru{};
    const pid_t r = ::wait4(pid_, &status, flags, &ru);
    if (r == 0) return false;
    ChildUsage u;
    u.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (r == pid_) {
        if (WIFEXITED(status)) u.exit_code = WEXITSTATUS(status);
        if (WIFSIGNALED(status)) u.term_signal = WTERMSIG(status);
        u.cpu_s = tv_seconds(ru.ru_utime) + tv_seconds(ru.ru_stime);
        u.max_rss_kb = ru.ru_maxrss;
    }
    usage_ = u;
    pid_ = -1;
    return true;
}

bool MeasuredChild::running() { return !reap(WNOHANG); }

void MeasuredChild::kill_and_reap() {
    if (pid_ < 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 300 && !reap(WNOHANG); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (pid_ >= 0) {
        ::kill(pid_, SIGKILL);
        reap(0);
    }
}

ChildUsage MeasuredChild::finish(std::chrono::milliseconds timeout) {
    bool timed_out = false;
    const auto deadline = started_ + timeout;
    while (!reap(WNOHANG)) {
        if (timeout.count() > 0 && std::chrono::steady_clock::now() >= deadline) {
            timed_out = true;
            kill_and_reap();
            break;
        }
        // Short polls: the wall time of a quick child (grep, scp) must not
        // round up to the polling interval.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ChildUsage u = usage_.value_or(ChildUsage{});
    u.timed_out = timed_out;
    u.out = read_tail(out_, 1 << 22);
    u.err = read_tail(err_, 4000);
    return u;
}

ChildUsage run_measured(const std::vector<std::string>& argv, const std::filesystem::path& dir, const std::string& tag,
                        std::chrono::milliseconds timeout) {
    auto c = MeasuredChild::start(argv, dir, tag);
    return c.finish(timeout);
}

}  // namespace besrig::bench
