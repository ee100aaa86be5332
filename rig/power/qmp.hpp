// A small client for QEMU's machine protocol (QMP) on a unix socket: the
// simulated board's power switch and fault levers (issue 4). One connection
// per client; each command waits for its own reply, skipping the events QEMU
// sends in between.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "util/result.hpp"
#include "util/unique_fd.hpp"

namespace besrig {

enum class QmpErrorKind {
    Unreachable,  // no socket, or nobody listening (QEMU not running)
    Timeout,      // QEMU did not answer in time (frozen host, hung QEMU)
    Closed,       // QEMU closed the connection (e.g. after quit)
    Refused,      // QEMU answered with an error (bad device name ...)
    Protocol,     // the reply was not QMP
};

struct QmpError {
    QmpErrorKind kind = QmpErrorKind::Protocol;
    std::string socket;
    std::string command;
    std::string message;  // QEMU's own "desc", or the system error

    // "QMP /run/.../qmp.sock: set_link: refused: Device 'x' not found"
    std::string describe() const;
};

class QmpClient {
public:
    // Connects, reads the greeting and negotiates capabilities.
    static Result<QmpClient, QmpError> connect(const std::filesystem::path& socket,
                                               std::chrono::milliseconds timeout = std::chrono::seconds(5));

    // Runs one command; returns its "return" value.
    Result<nlohmann::json, QmpError> execute(const std::string& command,
                                             const nlohmann::json& arguments = nlohmann::json::object());

    // The levers, named for what they do to the board.
    Result<nlohmann::json, QmpError> system_reset() { return execute("system_reset"); }
    Result<nlohmann::json, QmpError> quit() { return execute("quit"); }
    Result<nlohmann::json, QmpError> stop() { return execute("stop"); }
    Result<nlohmann::json, QmpError> cont() { return execute("cont"); }
    // `netdev` is the QEMU netdev id ("mgmt" or "data" on the simulated board).
    Result<nlohmann::json, QmpError> set_link(const std::string& netdev, bool up) {
        return execute("set_link", {{"name", netdev}, {"up", up}});
    }
    // "running", "paused", "shutdown" ...
    Result<std::string, QmpError> status();

private:
    QmpClient(UniqueFd fd, std::string socket, std::chrono::milliseconds timeout)
        : fd_(std::move(fd)), socket_(std::move(socket)), timeout_(timeout) {}
    // The next JSON object QEMU sends, or an error.
    Result<nlohmann::json, QmpError> read_message(const std::string& command);
    QmpError error(QmpErrorKind kind, const std::string& command, std::string message) const {
        return QmpError{kind, socket_, command, std::move(message)};
    }

    UniqueFd fd_;
    std::string socket_;
    std::chrono::milliseconds timeout_;
    std::string buffer_;
};

}  // namespace besrig
