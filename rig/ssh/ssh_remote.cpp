#include "rig/ssh/ssh_remote.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <poll.h>
#include <unistd.h>

#include "rig/ssh/libssh_error.hpp"
#include "rig/ssh/link_watch.hpp"
#include "rig/ssh/tcp_connect.hpp"
#include "util/strings.hpp"

namespace besrig::ssh {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// One authenticated-or-not libssh step failed: which kind is it?
RemoteErrorKind kind_of_failure(ssh_session s, Clock::time_point started, milliseconds limit) {
    if (Clock::now() - started >= limit) return RemoteErrorKind::Timeout;
    if (ssh_is_connected(s) == 0) return RemoteErrorKind::Disconnected;
    return RemoteErrorKind::Protocol;
}

// Authenticates with the identity file, then the agent. Returns what was
// tried and why it failed, for the Auth message.
Result<Done, RemoteError> authenticate(ssh_session s, const SshSettings& cfg, const std::string& where,
                                       Clock::time_point started) {
    std::vector<std::string> tried;
    auto failed_step = [&](const std::string& what) -> Result<Done, RemoteError> {
        const auto kind = kind_of_failure(s, started, cfg.connect_timeout);
        return fail(RemoteError{kind == RemoteErrorKind::Protocol ? RemoteErrorKind::Auth : kind, where,
                                "authenticate", what + libssh_detail(s)});
    };
    std::error_code ec;
    if (!cfg.identity_file.empty() && std::filesystem::exists(cfg.identity_file, ec)) {
        ssh_key raw = nullptr;
        if (ssh_pki_import_privkey_file(cfg.identity_file.c_str(), nullptr, nullptr, nullptr, &raw) != SSH_OK) {
            tried.push_back("identity file " + cfg.identity_file.string() +
                            " unreadable (not a private key, or protected by a passphrase)");
        } else {
            KeyPtr key(raw);
            const int rc = ssh_userauth_publickey(s, nullptr, key.get());
            if (rc == SSH_AUTH_SUCCESS) return Done{};
            if (rc == SSH_AUTH_ERROR) return failed_step("public key authentication failed");
            tried.push_back("identity file " + cfg.identity_file.string() + " refused by the board");
        }
    } else {
        tried.push_back("identity file " + (cfg.identity_file.empty() ? std::string("(none configured)")
                                                                        : cfg.identity_file.string() + " missing"));
    }
    if (const char* sock = std::getenv("SSH_AUTH_SOCK"); sock != nullptr && *sock != '\0') {
        const int rc = ssh_userauth_agent(s, nullptr);
        if (rc == SSH_AUTH_SUCCESS) return Done{};
        if (rc == SSH_AUTH_ERROR && ssh_is_connected(s) == 0) return failed_step("agent authentication failed");
        tried.push_back("ssh-agent keys refused");
    } else {
        tried.push_back("no ssh-agent ($SSH_AUTH_SOCK unset)");
    }
    return fail(RemoteError{RemoteErrorKind::Auth, where, "authenticate",
                            "permission denied for user " + printable(cfg.user) + ": " + join(tried, "; ") +
                                " (check board.mgmt.identity_file and the board's authorized_keys)"});
}

// Splits a byte stream into lines for a LineHandler; the rest waits for more.
class LineSplitter {
public:
    explicit LineSplitter(const LineHandler& handler) : handler_(handler) {}
    void feed(const char* data, std::size_t n) {
        pending_.append(data, n);
        std::size_t start = 0;
        for (std::size_t nl = pending_.find('\n'); nl != std::string::npos; nl = pending_.find('\n', start)) {
            emit(pending_.substr(start, nl - start));
            start = nl + 1;
        }
        pending_.erase(0, start);
    }
    void finish() {
        if (!pending_.empty()) emit(pending_);
        pending_.clear();
    }

private:
    void emit(std::string line) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (handler_) handler_(line);
    }
    const LineHandler& handler_;
    std::string pending_;
};

}  // namespace

std::string describe_endpoint(const std::string& user, const std::string& host, int port) {
    return user + "@" + host + ":" + std::to_string(port);
}

SshRemote::SshRemote(SshSettings settings, OwnedSocket socket, SessionPtr session, HostKeyFacts key)
    : settings_(std::move(settings)),
      socket_(std::move(socket)),
      session_(std::move(session)),
      host_key_(std::move(key)),
      where_(describe_endpoint(settings_.user, settings_.host, settings_.port)) {}

Result<std::unique_ptr<SshRemote>, RemoteError> SshRemote::connect(const SshSettings& cfg) {
    const std::string where = describe_endpoint(cfg.user, cfg.host, cfg.port);
    const auto started = Clock::now();
    auto fd = tcp_connect(cfg.host, cfg.port, cfg.connect_timeout, where);
    if (!fd) return fail(fd.error());
    // Declared before the session, so it is closed after the session is freed
    // on every path out of here.
    OwnedSocket sock(*fd);

    SessionPtr s(ssh_new());
    if (!s) return fail(RemoteError{RemoteErrorKind::Protocol, where, "connect", "ssh_new failed (out of memory?)"});
    socket_t raw_sock = sock.get();
    if (ssh_options_set(s.get(), SSH_OPTIONS_FD, &raw_sock) != SSH_OK)
        return fail(RemoteError{RemoteErrorKind::Protocol, where, "connect", "cannot hand the socket to libssh" + libssh_detail(s.get())});
    const int port = cfg.port;
    const int no = 0;
    const int quiet = SSH_LOG_NOLOG;
    const auto timeout_s = std::chrono::duration_cast<std::chrono::seconds>(cfg.connect_timeout);
    const long secs = static_cast<long>(timeout_s.count());
    const long usecs = static_cast<long>(
        std::chrono::duration_cast<std::chrono::microseconds>(cfg.connect_timeout - timeout_s).count());
    const std::string known_hosts = cfg.known_hosts.string();
    ssh_options_set(s.get(), SSH_OPTIONS_LOG_VERBOSITY, &quiet);
    ssh_options_set(s.get(), SSH_OPTIONS_PROCESS_CONFIG, &no);  // ~/.ssh/config must not change what we check
    ssh_options_set(s.get(), SSH_OPTIONS_HOST, cfg.host.c_str());
    ssh_options_set(s.get(), SSH_OPTIONS_PORT, &port);
    ssh_options_set(s.get(), SSH_OPTIONS_USER, cfg.user.c_str());
    ssh_options_set(s.get(), SSH_OPTIONS_KNOWNHOSTS, known_hosts.c_str());
    ssh_options_set(s.get(), SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");  // only the configured file counts
    ssh_options_set(s.get(), SSH_OPTIONS_TIMEOUT, &secs);
    ssh_options_set(s.get(), SSH_OPTIONS_TIMEOUT_USEC, &usecs);

    if (ssh_connect(s.get()) != SSH_OK) {
        const auto kind = kind_of_failure(s.get(), started, cfg.connect_timeout);
        const std::string libssh = libssh_detail(s.get());
        if (kind == RemoteErrorKind::Timeout)
            return fail(RemoteError{kind, where, "connect",
                                    "no SSH handshake within " +
                                        format_seconds(static_cast<double>(cfg.connect_timeout.count()) / 1000.0) +
                                        " (timeouts.connect_s): the port answers but the board does not" + libssh});
        if (kind == RemoteErrorKind::Disconnected)  // sshd restarting, or a forwarder with nothing behind it
            return fail(RemoteError{kind, where, "connect",
                                    "the board closed the connection during the SSH handshake" + libssh});
        return fail(RemoteError{kind, where, "connect", "SSH handshake failed" + libssh});
    }
    auto key = verify_host_key(s.get(), cfg.policy, cfg.known_hosts, cfg.host, cfg.port, where);
    if (!key) return fail(key.error());
    if (auto auth = authenticate(s.get(), cfg, where, started); !auth) return fail(auth.error());
    return std::unique_ptr<SshRemote>(new SshRemote(cfg, std::move(sock), std::move(s), std::move(key).value()));
}

RemoteError SshRemote::error(RemoteErrorKind kind, const std::string& command, const std::string& message) const {
    return RemoteError{kind, where_, command, message};
}

RemoteError SshRemote::libssh_error(const std::string& command, const std::string& what) const {
    const bool gone = ssh_is_connected(session_.get()) == 0;
    return error(gone ? RemoteErrorKind::Disconnected : RemoteErrorKind::Protocol, command,
                 what + libssh_detail(session_.get()));
}

Result<SshRemote::ExecEnd, RemoteError> SshRemote::exec(const std::string& command, const Sinks& sinks,
                                                         const ExecLimits& limits) {
    ssh_session s = session_.get();
    ChannelPtr ch(ssh_channel_new(s));
    if (!ch) return fail(libssh_error(command, "cannot create a channel"));
    if (ssh_channel_open_session(ch.get()) != SSH_OK) return fail(libssh_error(command, "cannot open a session channel"));
    if (ssh_channel_request_exec(ch.get(), command.c_str()) != SSH_OK)
        return fail(libssh_error(command, "the board refused to run the command"));

    const auto started = Clock::now();
    const bool has_deadline = limits.timeout.count() > 0;
    const auto deadline = started + limits.timeout;
    LinkWatch watch(s, settings_.keepalive, limits.link_grace);
    std::vector<char> buf(32 * 1024);
    const auto size = static_cast<std::uint32_t>(buf.size());

    // Reads whatever both streams hold now; true if anything came.
    auto drain = [&]() -> Result<bool, RemoteError> {
        bool got = false;
        for (int is_stderr = 0; is_stderr <= 1; ++is_stderr) {
            for (;;) {
                const int n = ssh_channel_read_nonblocking(ch.get(), buf.data(), size, is_stderr);
                if (n == SSH_ERROR) return fail(libssh_error(command, "reading output failed"));
                if (n <= 0) break;  // 0: nothing now; SSH_EOF: nothing ever
                got = true;
                const auto& sink = is_stderr ? sinks.err : sinks.out;
                if (sink) sink(buf.data(), static_cast<std::size_t>(n));
            }
        }
        return got;
    };
    // We end the command: SIGTERM on the board, then the channel is closed.
    auto stop = [&] {
        ssh_channel_request_send_signal(ch.get(), "TERM");
        ssh_channel_send_eof(ch.get());
    };

    for (;;) {
        auto got = drain();
        if (!got) return fail(got.error());
        if (ssh_channel_is_eof(ch.get()) != 0 || ssh_channel_is_closed(ch.get()) != 0) {
            for (;;) {  // what arrived together with the EOF
                auto more = drain();
                if (!more) return fail(more.error());
                if (!*more) break;
            }
            break;
        }
        if (limits.keep_going && *limits.keep_going && !(*limits.keep_going)()) {
            stop();
            return ExecEnd{-1, true};
        }
        if (has_deadline && Clock::now() >= deadline) {
            stop();
            return fail(error(RemoteErrorKind::Timeout, command,
                              "timed out after " + format_seconds(seconds_since(started)) + " (command still running; sent SIGTERM)"));
        }
        if (!watch.alive())
            return fail(error(RemoteErrorKind::Disconnected, command,
                              "the board stopped answering keepalives (link dead for " +
                                  format_seconds(static_cast<double>((watch.dead_after() + settings_.keepalive).count()) / 1000.0) + ")"));
        if (*got) continue;
        int wait_ms = 100;
        if (has_deadline) {
            const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
            wait_ms = static_cast<int>(std::clamp<long long>(left, 1, wait_ms));
        }
        pollfd p{ssh_get_fd(s), POLLIN, 0};
        if (::poll(&p, 1, wait_ms) < 0 && errno != EINTR)
            return fail(error(RemoteErrorKind::Disconnected, command, "poll on the connection failed"));
    }
    const int status = ssh_channel_get_exit_status(ch.get());
    return ExecEnd{status < 0 ? -1 : status, false};
}

Result<RemoteOutput, RemoteError> SshRemote::run_command(const std::string& command, milliseconds timeout) {
    RemoteOutput out;
    const auto started = Clock::now();
    Sinks sinks{[&](const char* d, std::size_t n) { out.out.append(d, n); },
                [&](const char* d, std::size_t n) { out.err.append(d, n); }};
    auto end = exec(command, sinks, ExecLimits{timeout, nullptr});
    if (!end) return fail(end.error());
    out.exit_status = end->exit_status;
    out.seconds = seconds_since(started);
    return out;
}

Result<RemoteOutput, RemoteError> SshRemote::run(const std::vector<std::string>& argv, milliseconds timeout) {
    return run_command(shell_join(argv), timeout);
}

Result<RemoteOutput, RemoteError> SshRemote::run_script(const std::string& script, const std::vector<std::string>& args,
                                                        milliseconds timeout) {
    // sh -c SCRIPT NAME ARGS...: the script sees the arguments as "$1".."$N".
    std::vector<std::string> argv{"sh", "-c", script, "besrig"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(shell_join(argv), timeout);
}

std::vector<std::string> ends_with_stdin(const std::vector<std::string>& argv) {
    // The command runs in the background of a small shell whose watcher
    // waits for the channel's stdin to end; when it does (we sent EOF, or
    // the channel is gone) the command gets SIGTERM. Stdin is kept on fd 3
    // (a background job's own stdin is /dev/null); only the watcher holds
    // it, so a command that ends by itself closes the channel as before.
    // The exit status is the command's, through `wait`.
    static const std::string script =
        "exec 3<&0 </dev/null; \"$@\" 3<&- & p=$!; "
        "{ cat <&3 >/dev/null; kill -TERM $p; } >/dev/null 2>&1 & exec 3<&-; wait $p";
    std::vector<std::string> wrapped{"sh", "-c", script, "besrig"};
    wrapped.insert(wrapped.end(), argv.begin(), argv.end());
    return wrapped;
}

Result<int, RemoteError> SshRemote::stream(const std::vector<std::string>& argv, const StreamOptions& options) {
    LineSplitter out(options.on_stdout);
    LineSplitter err(options.on_stderr);
    Sinks sinks{[&](const char* d, std::size_t n) { out.feed(d, n); },
                [&](const char* d, std::size_t n) { err.feed(d, n); }};
    auto end = exec(shell_join(ends_with_stdin(argv)), sinks,
                    ExecLimits{options.timeout, &options.keep_going, options.link_grace});
    out.finish();
    err.finish();
    if (!end) return fail(end.error());
    return end->stopped ? -1 : end->exit_status;
}

}  // namespace besrig::ssh
