#include "rig/board/board_lock.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <unistd.h>

#include "rig/board/board_command.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig::board {
namespace {

using namespace std::chrono_literals;

std::string hostname() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
    return buf;
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// "key=value" fields of a holder line; command= runs to the end.
std::string field(const std::string& holder, const std::string& key) {
    const auto at = holder.find(key + "=");
    if (at == std::string::npos) return "";
    const auto start = at + key.size() + 1;
    if (key == "command") return holder.substr(start);
    return holder.substr(start, holder.find(' ', start) - start);
}

bool pid_alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

}  // namespace

std::string lock_holder_text(const std::string& host, long pid, const std::string& command) {
    std::string cmd = printable(command, 300);
    return "host=" + host + " pid=" + std::to_string(pid) + " since=" + utc_now() + " command=" + cmd;
}

std::unique_ptr<BoardLock> BoardLock::acquire_local(const std::filesystem::path& state_dir, const std::string& board_name,
                                                    const std::string& command) {
    const auto path = state_dir / ("board-" + board_name + ".lock");
    const std::string holder = lock_holder_text(hostname(), static_cast<long>(::getpid()), command);
    std::string held_by;
    auto local = FileLock::try_acquire(path, holder, held_by);
    if (!local)
        throw_infra("board " + board_name + " is in use by another besrig on this controller (" + printable(held_by) +
                    "; lock " + path.string() + "). Wait for it to finish.");
    return std::unique_ptr<BoardLock>(new BoardLock(std::move(local), holder));
}

std::string BoardLock::acquire_board(Remote& remote, const std::string& board_path) {
    board_path_ = board_path;
    static const std::string take =
        "set -C; if printf '%s\\n' \"$2\" > \"$1\" 2>/dev/null; then echo acquired; else echo \"held=$(cat \"$1\")\"; fi";
    static const std::string force = "printf '%s\\n' \"$2\" > \"$1\" && echo acquired";
    auto r = script_checked(remote, "lock", take, {board_path_, holder_}, 20s);
    if (!r) throw_infra("cannot take the board lock " + board_path_ + ": " + r.error().describe());
    if (trim(r->out) == "acquired") {
        remote_ = &remote;
        return "";
    }
    const auto kv = parse_key_values(r->out);
    const std::string held = std::string(trim(value_of(kv, "held")));
    const std::string host = field(held, "host");
    const auto pid = parse_int(field(held, "pid"));
    const bool ours_and_dead = host == hostname() && pid && !pid_alive(static_cast<long>(*pid));
    const bool garbage = held.empty() || host.empty();
    if (!ours_and_dead && !garbage)
        throw_infra("board is locked by another controller: " + printable(held) + " (" + board_path_ +
                    " on " + remote.where() + "). If that controller is gone, remove the file on the board.");
    auto f = script_checked(remote, "lock", force, {board_path_, holder_}, 20s);
    if (!f) throw_infra("cannot take over the board lock: " + f.error().describe());
    remote_ = &remote;
    return "took over a stale board lock (" + (garbage ? std::string("unreadable: ") + printable(held) : held) + ")";
}

BoardLock::~BoardLock() {
    if (remote_ != nullptr) {
        static const std::string release = "[ \"$(cat \"$1\" 2>/dev/null)\" = \"$2\" ] && rm -f \"$1\"; exit 0";
        remote_->run_script(release, {board_path_, holder_}, 10s);  // best effort: a reboot clears it anyway
    }
    // local_ (the controller's flock) is released after the board's file.
}

}  // namespace besrig::board
