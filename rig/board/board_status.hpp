// Everything `besrig status` reports about the board, gathered over one
// session and continuing past probes that fail (each failure kept next to
// the fact it was after). Knows nothing of printing.
#pragma once

#include <optional>
#include <string>

#include "config/config.hpp"
#include "rig/board/module_identity.hpp"
#include "rig/board/probes.hpp"

namespace besrig::board {

template <typename T>
struct Probe {
    std::optional<T> value;
    std::string error;  // RemoteError::describe() when the probe failed
};

struct BoardStatus {
    std::string where;
    Probe<std::string> release;
    Probe<double> uptime_s;
    Probe<InstalledModule> installed;
    Probe<RunningModule> running;
    IdentityMatch match = IdentityMatch::Unknown;
    Probe<LinkState> data_link;
};

BoardStatus gather_status(Remote& remote, const RigConfig& config);

}  // namespace besrig::board
