#include "local_shell_remote.hpp"

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "util/process.hpp"
#include "util/strings.hpp"

namespace besrig::test {
namespace {

using Clock = std::chrono::steady_clock;

RemoteError error(RemoteErrorKind kind, const std::string& command, const std::string& message) {
    return RemoteError{kind, "local-shell", command, message};
}

// Splits what arrives into lines and hands each complete one on.
struct LineSplitter {
    std::string pending;
    void add(const char* data, std::size_t n, const LineHandler& handler) {
        pending.append(data, n);
        std::size_t nl;
        while ((nl = pending.find('\n')) != std::string::npos) {
            const std::string line = pending.substr(0, nl);
            pending.erase(0, nl + 1);
            if (handler) handler(line);
        }
    }
    void flush(const LineHandler& handler) {
        if (!pending.empty() && handler) handler(pending);
        pending.clear();
    }
};

}  // namespace

Result<RemoteOutput, RemoteError> LocalShellRemote::run(const std::vector<std::string>& argv,
                                                        std::chrono::milliseconds timeout) {
    commands.push_back(argv);
    LocalProcessRunner runner;
    const auto r = runner.run(ProcessSpec{{"/bin/sh", "-c", shell_join(argv)}, {}, {}, timeout, {}});
    if (r.timed_out) return fail(error(RemoteErrorKind::Timeout, shell_join(argv), "deadline passed"));
    return RemoteOutput{r.term_signal != 0 ? -1 : r.exit_code, r.out, r.err, r.seconds};
}

Result<RemoteOutput, RemoteError> LocalShellRemote::run_script(const std::string& script,
                                                               const std::vector<std::string>& args,
                                                               std::chrono::milliseconds timeout) {
    std::vector<std::string> argv = {"/bin/sh", "-c", script, "besrig-script"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, timeout);
}

Result<int, RemoteError> LocalShellRemote::stream(const std::vector<std::string>& argv, const StreamOptions& options) {
    commands.push_back(argv);
    const std::string command = shell_join(argv);
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
        return fail(error(RemoteErrorKind::Protocol, command, "pipe failed"));
    const pid_t pid = ::fork();
    if (pid < 0) return fail(error(RemoteErrorKind::Protocol, command, "fork failed"));
    if (pid == 0) {
        ::setpgid(0, 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    const auto start = Clock::now();
    auto last_poll = Clock::now();
    LineSplitter so, se;
    bool out_open = true, err_open = true, stopped = false, timed_out = false;
    char buf[4096];
    auto stop = [&] {
        ::kill(-pid, SIGTERM);
        stopped = true;
    };
    while (out_open || err_open) {
        std::vector<pollfd> fds;
        if (out_open) fds.push_back({out[0], POLLIN, 0});
        if (err_open) fds.push_back({err[0], POLLIN, 0});
        ::poll(fds.data(), fds.size(), 100);
        for (const auto& p : fds) {
            if (p.revents == 0) continue;
            const auto n = ::read(p.fd, buf, sizeof buf);
            const bool is_out = p.fd == out[0];
            if (n > 0) {
                (is_out ? so : se).add(buf, static_cast<std::size_t>(n), is_out ? options.on_stdout : options.on_stderr);
            } else {
                (is_out ? out_open : err_open) = false;
            }
        }
        if (!stopped && Clock::now() - last_poll >= std::chrono::milliseconds(100)) {
            last_poll = Clock::now();
            if (options.keep_going && !options.keep_going()) stop();
            if (options.timeout.count() > 0 && Clock::now() - start > options.timeout) {
                timed_out = true;
                stop();
            }
        }
        if (stopped && Clock::now() - last_poll > std::chrono::milliseconds(1500)) ::kill(-pid, SIGKILL);
    }
    so.flush(options.on_stdout);
    se.flush(options.on_stderr);
    ::close(out[0]);
    ::close(err[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (timed_out) return fail(error(RemoteErrorKind::Timeout, command, "deadline passed"));
    if (stopped) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Result<Done, RemoteError> LocalShellRemote::upload(const std::filesystem::path&, const std::string& remote_path,
                                                   const std::function<void(std::uint64_t, std::uint64_t)>&) {
    return fail(error(RemoteErrorKind::Transfer, "upload " + remote_path, "not supported by the fake"));
}

Result<Done, RemoteError> LocalShellRemote::download(const std::string& remote_path, const std::filesystem::path&) {
    return fail(error(RemoteErrorKind::Transfer, "download " + remote_path, "not supported by the fake"));
}

}  // namespace besrig::test
