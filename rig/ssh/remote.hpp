// The management link as the rest of besrig sees it: a seam with one real
// implementation (libssh, ssh_session.hpp) and fakes for unit tests.
//
// Commands are argv vectors; the implementation quotes every argument
// (util/strings.hpp shell_quote) so no untrusted text is ever pasted into a
// shell. `run_script` exists for besrig's own constant scripts only, with
// untrusted values passed as positional arguments ("$1", "$2"...).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "util/result.hpp"

namespace besrig {

// Distinct failure kinds: a timeout is not a refusal (STYLE §4).
enum class RemoteErrorKind {
    Timeout,       // the deadline passed (connect, auth or command)
    Refused,       // TCP connection refused / host unreachable
    Auth,          // authentication failed
    HostKey,       // unknown or changed host key under strict checking
    Disconnected,  // the link dropped mid-operation (keepalive noticed)
    Transfer,      // SFTP failed (disk full, permission ...)
    Protocol,      // anything else libssh reports
    // Raised by the board layer (rig/board), never by run() itself:
    NonZeroExit,   // the board ran the command and it failed (exit status, stderr in the message)
    BadReply,      // the board answered, but not what the command prints (garbage, shown printable())
};

std::string to_string(RemoteErrorKind kind);

struct RemoteError {
    RemoteErrorKind kind = RemoteErrorKind::Protocol;
    std::string host;     // "root@127.0.0.1:10022"
    std::string command;  // the quoted command line, or "connect", "upload /tmp/x"
    std::string message;  // libssh's own text, or ours

    // "root@127.0.0.1:10022: `uname -r`: timed out after 10.0 s (libssh: ...)"
    std::string describe() const;
};

struct RemoteOutput {
    int exit_status = -1;  // remote exit status; -1 if killed by a signal
    std::string out;
    std::string err;
    double seconds = 0;
};

using Done = std::monostate;
using LineHandler = std::function<void(const std::string& line)>;

struct StreamOptions {
    LineHandler on_stdout;              // called per complete line, as it arrives
    LineHandler on_stderr;
    std::function<bool()> keep_going;   // polled ~10x/s; false ends the command (channel closed)
    std::chrono::milliseconds timeout{0};  // 0: until the command ends or keep_going() is false
    // How long a silent link (keepalives unanswered) may last before the
    // stream fails. 0: the usual ≈3 keepalive intervals. A caller with a
    // watchdog of its own (Phase 7) sets it longer, so a management outage it
    // rides out does not also kill the command it is measuring.
    std::chrono::milliseconds link_grace{0};
};

class Remote {
public:
    virtual ~Remote() = default;

    // Runs argv on the board (each argument quoted) and collects its output.
    // A non-zero exit is NOT an error here: callers read exit_status.
    virtual Result<RemoteOutput, RemoteError> run(const std::vector<std::string>& argv,
                                                  std::chrono::milliseconds timeout) = 0;
    // Runs one of besrig's constant shell scripts with `args` as "$1".."$N".
    virtual Result<RemoteOutput, RemoteError> run_script(const std::string& script, const std::vector<std::string>& args,
                                                         std::chrono::milliseconds timeout) = 0;
    // Runs argv, streaming stdout/stderr line by line while it runs (kernel
    // log follower, iperf3 client). Returns the exit status (-1 when we ended it).
    virtual Result<int, RemoteError> stream(const std::vector<std::string>& argv, const StreamOptions& options) = 0;
    // SFTP; `progress(bytes_done, bytes_total)` may be empty.
    virtual Result<Done, RemoteError> upload(const std::filesystem::path& local, const std::string& remote_path,
                                             const std::function<void(std::uint64_t, std::uint64_t)>& progress) = 0;
    virtual Result<Done, RemoteError> download(const std::string& remote_path, const std::filesystem::path& local) = 0;

    // "user@host:port", for messages.
    virtual std::string where() const = 0;
};

}  // namespace besrig
