// The libssh implementation of the Remote seam: one authenticated SSH session
// to the board, commands over exec channels, files over SFTP.
//
// Threading: a session is used from ONE thread at a time (libssh sessions are
// not thread-safe). A component that needs a concurrent stream (the kernel
// log follower) opens its own second session with connect_board().
//
// Deadlines: connect and authentication are bounded by `connect_timeout`,
// every command by its own timeout; while a command runs the link is watched
// with keepalives (link_watch.hpp), so a dead board ends it as Disconnected
// within about three keepalive intervals. A command we end (deadline, or
// keep_going() false) gets SIGTERM on the board and its channel closed.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "rig/ssh/host_key.hpp"
#include "rig/ssh/remote.hpp"
#include "rig/ssh/ssh_handles.hpp"

namespace besrig::ssh {

struct SshSettings {
    std::string host;
    int port = 22;
    std::string user;
    std::filesystem::path identity_file;  // tried first; then the agent ($SSH_AUTH_SOCK)
    std::filesystem::path known_hosts;
    HostKeyPolicy policy = HostKeyPolicy::Strict;
    std::chrono::milliseconds connect_timeout{10000};
    std::chrono::milliseconds keepalive{2000};  // 0: no keepalives
};

// argv wrapped so that it ends when the channel's stdin ends: besrig stops a
// streamed command by sending EOF (and SIGTERM, which OpenSSH refuses for a
// root session: "session signalling requires privilege separation", so an
// iperf3 client would run on to its -t and meet the next one).
std::vector<std::string> ends_with_stdin(const std::vector<std::string>& argv);

class SshRemote final : public Remote {
public:
    static Result<std::unique_ptr<SshRemote>, RemoteError> connect(const SshSettings& settings);

    Result<RemoteOutput, RemoteError> run(const std::vector<std::string>& argv,
                                          std::chrono::milliseconds timeout) override;
    Result<RemoteOutput, RemoteError> run_script(const std::string& script, const std::vector<std::string>& args,
                                                 std::chrono::milliseconds timeout) override;
    Result<int, RemoteError> stream(const std::vector<std::string>& argv, const StreamOptions& options) override;
    Result<Done, RemoteError> upload(const std::filesystem::path& local, const std::string& remote_path,
                                     const std::function<void(std::uint64_t, std::uint64_t)>& progress) override;
    Result<Done, RemoteError> download(const std::string& remote_path, const std::filesystem::path& local) override;
    std::string where() const override { return where_; }

    const HostKeyFacts& host_key() const { return host_key_; }

private:
    struct Sinks {
        std::function<void(const char*, std::size_t)> out;
        std::function<void(const char*, std::size_t)> err;
    };
    struct ExecLimits {
        std::chrono::milliseconds timeout{0};
        const std::function<bool()>* keep_going = nullptr;
        std::chrono::milliseconds link_grace{0};  // see StreamOptions::link_grace
    };
    struct ExecEnd {
        int exit_status = -1;
        bool stopped = false;  // ended by keep_going() turning false
    };

    SshRemote(SshSettings settings, OwnedSocket socket, SessionPtr session, HostKeyFacts key);
    Result<ExecEnd, RemoteError> exec(const std::string& command, const Sinks& sinks, const ExecLimits& limits);
    Result<RemoteOutput, RemoteError> run_command(const std::string& command, std::chrono::milliseconds timeout);
    Result<SftpPtr, RemoteError> open_sftp(const std::string& what);
    RemoteError error(RemoteErrorKind kind, const std::string& command, const std::string& message) const;
    // Kind and text for a libssh failure: Disconnected once the session is gone.
    RemoteError libssh_error(const std::string& command, const std::string& what) const;

    SshSettings settings_;
    OwnedSocket socket_;  // declared before session_: closed after the session is freed
    SessionPtr session_;
    HostKeyFacts host_key_;
    std::string where_;
};

// "root@127.0.0.1:2222"
std::string describe_endpoint(const std::string& user, const std::string& host, int port);

}  // namespace besrig::ssh
