#include "rig/ssh/remote.hpp"

namespace besrig {

std::string to_string(RemoteErrorKind kind) {
    switch (kind) {
    case RemoteErrorKind::Timeout: return "timed out";
    case RemoteErrorKind::Refused: return "connection refused";
    case RemoteErrorKind::Auth: return "authentication failed";
    case RemoteErrorKind::HostKey: return "host key not trusted";
    case RemoteErrorKind::Disconnected: return "disconnected";
    case RemoteErrorKind::Transfer: return "transfer failed";
    case RemoteErrorKind::Protocol: return "ssh error";
    }
    return "ssh error";
}

std::string RemoteError::describe() const {
    std::string s = host + ": ";
    if (!command.empty()) s += "`" + command + "`: ";
    s += to_string(kind);
    if (!message.empty()) s += " (" + message + ")";
    return s;
}

}  // namespace besrig
