#include "rig/board/board_command.hpp"

#include "util/strings.hpp"

namespace besrig::board {
namespace {

Result<RemoteOutput, RemoteError> require_success(const Remote& remote, Result<RemoteOutput, RemoteError> r,
                                                  const std::string& command) {
    if (!r) return r;
    if (r->exit_status != 0) {
        std::string detail = std::string(trim(r->err));
        if (detail.empty()) detail = std::string(trim(r->out));
        return fail(RemoteError{RemoteErrorKind::NonZeroExit, remote.where(), command,
                                "exited with status " + std::to_string(r->exit_status) +
                                    (detail.empty() ? "" : ": " + printable(detail))});
    }
    return r;
}

}  // namespace

Result<RemoteOutput, RemoteError> run_checked(Remote& remote, const std::vector<std::string>& argv, milliseconds timeout) {
    return require_success(remote, remote.run(argv, timeout), shell_join(argv));
}

Result<RemoteOutput, RemoteError> script_checked(Remote& remote, const std::string& label, const std::string& script,
                                                 const std::vector<std::string>& args, milliseconds timeout) {
    std::vector<std::string> shown{label};
    shown.insert(shown.end(), args.begin(), args.end());
    return require_success(remote, remote.run_script(script, args, timeout), shell_join(shown));
}

RemoteError bad_reply(const Remote& remote, const std::string& command, const std::string& reply,
                      const std::string& expected) {
    return RemoteError{RemoteErrorKind::BadReply, remote.where(), command,
                       "unexpected reply \"" + printable(reply) + "\": expected " + expected};
}

std::vector<std::pair<std::string, std::string>> parse_key_values(const std::string& text) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& line : split_lines(text)) {
        const auto eq = line.find('=');
        if (eq == std::string::npos || eq == 0) continue;
        out.emplace_back(line.substr(0, eq), line.substr(eq + 1));
    }
    return out;
}

std::string value_of(const std::vector<std::pair<std::string, std::string>>& kv, const std::string& key,
                     const std::string& fallback) {
    std::string v = fallback;
    for (const auto& [k, val] : kv)
        if (k == key) v = val;
    return v;
}

bool has_key(const std::vector<std::pair<std::string, std::string>>& kv, const std::string& key) {
    for (const auto& p : kv)
        if (p.first == key) return true;
    return false;
}

bool is_plain_name(const std::string& name) {
    if (name.empty() || name.size() > 64 || name == "." || name == "..") return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                        c == '-' || c == '.' || c == ':' || c == '@';
        if (!ok) return false;
    }
    return true;
}

}  // namespace besrig::board
