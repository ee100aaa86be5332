#include "util/process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <thread>
#include <unistd.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> make_argv(const std::vector<std::string>& argv) {
    std::vector<char*> out;
    out.reserve(argv.size() + 1);
    for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
    out.push_back(nullptr);
    return out;
}

void set_nonblock(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

struct Pipe {
    int fd[2] = {-1, -1};
    Pipe() {
        if (::pipe2(fd, O_CLOEXEC) != 0) throw_infra(std::string("pipe: ") + std::strerror(errno));
    }
    ~Pipe() { close_both(); }
    void close_read() { if (fd[0] >= 0) { ::close(fd[0]); fd[0] = -1; } }
    void close_write() { if (fd[1] >= 0) { ::close(fd[1]); fd[1] = -1; } }
    void close_both() { close_read(); close_write(); }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
};

}  // namespace

std::string ProcessResult::describe() const {
    if (timed_out) return "timed out after " + format_seconds(seconds);
    if (term_signal != 0) return "killed by signal " + std::to_string(term_signal);
    return "exit " + std::to_string(exit_code);
}

std::optional<std::filesystem::path> find_program(const std::string& name) {
    if (name.find('/') != std::string::npos) {
        if (::access(name.c_str(), X_OK) == 0) return std::filesystem::path(name);
        return std::nullopt;
    }
    const char* path = std::getenv("PATH");
    for (const auto& dir : split(path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", ':')) {
        if (dir.empty()) continue;
        const auto candidate = std::filesystem::path(dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    for (const char* dir : {"/usr/sbin", "/sbin"}) {
        const auto candidate = std::filesystem::path(dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

ProcessResult LocalProcessRunner::run(const ProcessSpec& spec) {
    if (spec.argv.empty()) throw_infra("internal: empty command");
    const auto exe = find_program(spec.argv[0]);
    if (!exe) throw_infra(spec.argv[0] + ": command not found");

    Pipe in, out, err;
    const auto start = Clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) throw_infra(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        ::dup2(in.fd[0], 0);
        ::dup2(out.fd[1], 1);
        ::dup2(err.fd[1], 2);
        ::setpgid(0, 0);
        if (spec.cwd && ::chdir(spec.cwd->c_str()) != 0) _exit(126);
        for (const auto& [k, v] : spec.env) ::setenv(k.c_str(), v.c_str(), 1);
        auto argv = make_argv(spec.argv);
        ::execv(exe->c_str(), argv.data());
        _exit(127);
    }
    in.close_read();
    out.close_write();
    err.close_write();
    set_nonblock(out.fd[0]);
    set_nonblock(err.fd[0]);
    if (in.fd[1] >= 0) set_nonblock(in.fd[1]);

    ProcessResult result;
    std::size_t written = 0;
    if (spec.stdin_data.empty()) in.close_write();
    bool out_open = true, err_open = true;
    char buf[65536];
    while (out_open || err_open) {
        std::vector<pollfd> fds;
        if (out_open) fds.push_back({out.fd[0], POLLIN, 0});
        if (err_open) fds.push_back({err.fd[0], POLLIN, 0});
        if (in.fd[1] >= 0) fds.push_back({in.fd[1], POLLOUT, 0});
        int wait_ms = 200;
        if (spec.timeout.count() > 0) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                start + spec.timeout - Clock::now());
            if (left.count() <= 0) {
                ::kill(-pid, SIGKILL);
                ::kill(pid, SIGKILL);
                result.timed_out = true;
                break;
            }
            wait_ms = static_cast<int>(std::min<long long>(left.count(), 200));
        }
        ::poll(fds.data(), fds.size(), wait_ms);
        for (const auto& p : fds) {
            if (p.revents == 0) continue;
            if (p.fd == in.fd[1]) {
                const auto n = ::write(p.fd, spec.stdin_data.data() + written, spec.stdin_data.size() - written);
                if (n > 0) written += static_cast<std::size_t>(n);
                if (n < 0 || written == spec.stdin_data.size()) in.close_write();
                continue;
            }
            const auto n = ::read(p.fd, buf, sizeof buf);
            if (n > 0) {
                (p.fd == out.fd[0] ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                (p.fd == out.fd[0] ? out_open : err_open) = false;
            }
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!result.timed_out) {
        if (WIFEXITED(status)) {
            result.exit_code = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            result.term_signal = WTERMSIG(status);
        }
    }
    if (result.exit_code == 127 && result.out.empty() && result.err.empty())
        throw_infra(spec.argv[0] + ": could not be executed");
    return result;
}

Child Child::spawn(const std::vector<std::string>& argv, const Options& options) {
    if (argv.empty()) throw_infra("internal: empty command");
    const auto exe = find_program(argv[0]);
    if (!exe) throw_infra(argv[0] + ": command not found");
    const std::string out_path = options.stdout_file ? options.stdout_file->string() : "/dev/null";
    const std::string err_path = options.stderr_file ? options.stderr_file->string() : out_path;
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw_infra(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
#ifdef __linux__
        // The parent may have died between fork and prctl: then nobody owns us.
        if (options.die_with_parent && (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent)) _exit(125);
#else
        (void)parent;
#endif
        if (options.new_session) ::setsid();
        const int devnull = ::open("/dev/null", O_RDONLY);
        const int o = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        const int e = err_path == out_path ? o : ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (devnull < 0 || o < 0 || e < 0) _exit(126);
        ::dup2(devnull, 0);
        ::dup2(o, 1);
        ::dup2(e, 2);
        auto args = make_argv(argv);
        ::execv(exe->c_str(), args.data());
        _exit(127);
    }
    return Child(pid);
}

Child& Child::operator=(Child&& other) noexcept {
    if (this != &other) {
        terminate();
        pid_ = std::exchange(other.pid_, -1);
        status_ = other.status_;
    }
    return *this;
}

Child::~Child() { terminate(); }

bool Child::running() {
    if (pid_ < 0 || status_) return false;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        status_ = status;
        return false;
    }
    return r == 0;
}

std::optional<int> Child::exit_status() {
    running();
    return status_;
}

void Child::terminate(std::chrono::milliseconds grace) {
    if (pid_ < 0) return;
    if (running()) {
        ::kill(pid_, SIGTERM);
        const auto deadline = Clock::now() + grace;
        while (running() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (running()) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
            status_ = status;
        }
    }
    pid_ = -1;
}

bool process_alive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

}  // namespace besrig
