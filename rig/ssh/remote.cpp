#include "rig/ssh/remote.hpp"

namespace besrig {

std::string to_string(RemoteErrorKind kind) {
    switch (kind) {
        case RemoteErrorKind::Timeout: return "timeout";
        case RemoteErrorKind::Refused: return "refused";
        case RemoteErrorKind::Auth: return "auth";
        case RemoteErrorKind::HostKey: return "host-key";
        case RemoteErrorKind::Disconnected: return "disconnected";
        case RemoteErrorKind::Transfer: return "transfer";
        case RemoteErrorKind::Protocol: return "protocol";
        case RemoteErrorKind::NonZeroExit: return "exit-status";
        case RemoteErrorKind::BadReply: return "bad-reply";
    }
    return "unknown";
}

std::string RemoteError::describe() const {
    std::string out = host.empty() ? std::string("board") : host;
    if (!command.empty()) out += ": `" + command + "`";
    out += ": " + message;
    return out;
}

}  // namespace besrig
