// The small vocabulary every board probe shares: run a command and insist it
// succeeded (a non-zero exit becomes RemoteErrorKind::NonZeroExit with the
// board's stderr), and build the "garbage reply" error that names the command
// and shows what came back, escaped and cut (printable()).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "rig/ssh/remote.hpp"

namespace besrig::board {

using std::chrono::milliseconds;

Result<RemoteOutput, RemoteError> run_checked(Remote& remote, const std::vector<std::string>& argv, milliseconds timeout);
Result<RemoteOutput, RemoteError> script_checked(Remote& remote, const std::string& label, const std::string& script,
                                                 const std::vector<std::string>& args, milliseconds timeout);

// "`uname -r` answered "...": expected a kernel release".
RemoteError bad_reply(const Remote& remote, const std::string& command, const std::string& reply,
                      const std::string& expected);

// key=value lines (first '=' splits; later duplicates win); other lines ignored.
std::vector<std::pair<std::string, std::string>> parse_key_values(const std::string& text);
std::string value_of(const std::vector<std::pair<std::string, std::string>>& kv, const std::string& key,
                     const std::string& fallback = "");
bool has_key(const std::vector<std::pair<std::string, std::string>>& kv, const std::string& key);

// Names that end up in board paths (/sys/module/<m>, /sys/class/net/<if>)
// must be plain names, whatever the config says.
bool is_plain_name(const std::string& name);

}  // namespace besrig::board
