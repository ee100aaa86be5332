// Small facts about the board, each one command and one parser: kernel
// release, uptime, free space, which tools exist, the data link's state.
// Every probe returns the board's reply parsed, or a RemoteError: transport
// failures keep their kind, a failing command is NonZeroExit, and a reply
// that is not what the command prints is BadReply naming the command and
// showing what came back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rig/board/board_command.hpp"

namespace besrig::board {

Result<std::string, RemoteError> kernel_release(Remote& remote, milliseconds timeout);
Result<double, RemoteError> uptime_seconds(Remote& remote, milliseconds timeout);

struct FreeSpace {
    std::string path;        // the directory df was asked about (nearest existing ancestor)
    std::uint64_t available_bytes = 0;
    std::uint64_t total_bytes = 0;
};
// Free space where `path` lives (or would live: the nearest existing parent).
Result<FreeSpace, RemoteError> free_space(Remote& remote, const std::string& path, milliseconds timeout);

struct ToolCheck {
    std::vector<std::pair<std::string, std::string>> found;  // name, path
    std::vector<std::string> missing;
};
Result<ToolCheck, RemoteError> tools_present(Remote& remote, const std::vector<std::string>& tools, milliseconds timeout);

struct LinkState {
    std::string interface;
    bool exists = false;
    std::string operstate;  // "up", "down", "unknown", "dormant"...
    bool carrier = false;
    std::vector<std::string> ipv4;  // "10.0.3.15/24"
    bool up() const { return exists && carrier && (operstate == "up" || operstate == "unknown"); }
};
Result<LinkState, RemoteError> link_state(Remote& remote, const std::string& interface, milliseconds timeout);

}  // namespace besrig::board
