#include "rig/power/qmp.hpp"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

namespace besrig {
namespace {

using Clock = std::chrono::steady_clock;

std::string to_string(QmpErrorKind kind) {
    switch (kind) {
    case QmpErrorKind::Unreachable: return "unreachable";
    case QmpErrorKind::Timeout: return "timed out";
    case QmpErrorKind::Closed: return "connection closed";
    case QmpErrorKind::Refused: return "refused";
    case QmpErrorKind::Protocol: return "protocol error";
    }
    return "error";
}

bool send_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const auto n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

std::string QmpError::describe() const {
    std::string s = "QMP " + socket;
    if (!command.empty()) s += ": " + command;
    s += ": " + to_string(kind);
    if (!message.empty()) s += ": " + message;
    return s;
}

Result<QmpClient, QmpError> QmpClient::connect(const std::filesystem::path& socket,
                                               std::chrono::milliseconds timeout) {
    const std::string where = socket.string();
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (where.size() >= sizeof addr.sun_path)
        return fail(QmpError{QmpErrorKind::Unreachable, where, "connect", "socket path too long for AF_UNIX"});
    std::memcpy(addr.sun_path, where.c_str(), where.size() + 1);

    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) return fail(QmpError{QmpErrorKind::Unreachable, where, "connect", std::strerror(errno)});
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        return fail(QmpError{QmpErrorKind::Unreachable, where, "connect", std::strerror(errno)});

    QmpClient client(std::move(fd), where, timeout);
    auto greeting = client.read_message("greeting");
    if (!greeting) return fail(greeting.error());
    if (!greeting->contains("QMP"))
        return fail(client.error(QmpErrorKind::Protocol, "greeting", "no QMP greeting: " + greeting->dump()));
    auto caps = client.execute("qmp_capabilities");
    if (!caps) return fail(caps.error());
    return client;
}

Result<nlohmann::json, QmpError> QmpClient::read_message(const std::string& command) {
    const auto deadline = Clock::now() + timeout_;
    for (;;) {
        if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
            const std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            if (line.find_first_not_of(" \r\t") == std::string::npos) continue;
            auto msg = nlohmann::json::parse(line, nullptr, false);
            if (msg.is_discarded() || !msg.is_object())
                return fail(error(QmpErrorKind::Protocol, command, "not a JSON object: " + line.substr(0, 200)));
            return msg;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0)
            return fail(error(QmpErrorKind::Timeout, command,
                              "no answer within " + std::to_string(timeout_.count()) + " ms"));
        pollfd p{fd_.get(), POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno != EINTR) return fail(error(QmpErrorKind::Protocol, command, std::strerror(errno)));
        if (r <= 0) continue;
        char buf[4096];
        const auto n = ::recv(fd_.get(), buf, sizeof buf, 0);
        if (n == 0) return fail(error(QmpErrorKind::Closed, command, "QEMU closed the monitor connection"));
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return fail(error(QmpErrorKind::Closed, command, std::strerror(errno)));
        }
        buffer_.append(buf, static_cast<std::size_t>(n));
    }
}

Result<nlohmann::json, QmpError> QmpClient::execute(const std::string& command, const nlohmann::json& arguments) {
    nlohmann::json request{{"execute", command}};
    if (!arguments.empty()) request["arguments"] = arguments;
    if (!send_all(fd_.get(), request.dump() + "\n"))
        return fail(error(QmpErrorKind::Closed, command, std::strerror(errno)));
    for (;;) {
        auto msg = read_message(command);
        if (!msg) return msg;
        if (msg->contains("event")) continue;  // asynchronous: RESET, STOP, NIC_RX_FILTER_CHANGED ...
        if (auto it = msg->find("return"); it != msg->end()) return *it;
        if (auto it = msg->find("error"); it != msg->end()) {
            const std::string desc = it->is_object() ? it->value("desc", it->dump()) : it->dump();
            return fail(error(QmpErrorKind::Refused, command, desc));
        }
        return fail(error(QmpErrorKind::Protocol, command, "unexpected reply: " + msg->dump().substr(0, 200)));
    }
}

Result<std::string, QmpError> QmpClient::status() {
    auto r = execute("query-status");
    if (!r) return fail(r.error());
    if (!r->is_object() || !r->contains("status") || !(*r)["status"].is_string())
        return fail(error(QmpErrorKind::Protocol, "query-status", "no status in " + r->dump()));
    return (*r)["status"].get<std::string>();
}

}  // namespace besrig
