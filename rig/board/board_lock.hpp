// One driver per board (issue 7): two besrig processes must not deploy to or
// stress the same board at once.
//   controller — flock(2) on <state>/board-<name>.lock: the kernel releases it
//                when the holder dies, so a crash never leaves it stale; the
//                file names the holder for the refusal message.
//   board      — /run/besrig.lock on the board, created exclusively (set -C),
//                naming host, pid, command and start time, so a second
//                controller host sees who is driving. /run is RAM: a reboot
//                clears it. A lock left by a dead process of THIS host is
//                taken over (noted); one from another host is refused.
// The lock is released on destruction (board file first, only if still ours).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "rig/ssh/remote.hpp"
#include "util/file_lock.hpp"

namespace besrig::board {

class BoardLock {
public:
    inline static const char* const k_board_path = "/run/besrig.lock";

    // Takes the controller lock; throws Error(Infra) naming the holder when
    // another process has it.
    static std::unique_ptr<BoardLock> acquire_local(const std::filesystem::path& state_dir, const std::string& board_name,
                                                    const std::string& command);
    // Then the board's lock over `remote`, which must outlive this object
    // (declare the Remote before the lock).
    // Returns a note when a stale lock was taken over ("" otherwise); throws
    // Error(Infra) naming the holder when another controller holds it.
    std::string acquire_board(Remote& remote, const std::string& board_path = k_board_path);

    ~BoardLock();
    BoardLock(const BoardLock&) = delete;
    BoardLock& operator=(const BoardLock&) = delete;

    const std::string& holder() const { return holder_; }
    const std::filesystem::path& local_path() const { return local_->path(); }

private:
    BoardLock(std::unique_ptr<FileLock> local, std::string holder)
        : local_(std::move(local)), holder_(std::move(holder)) {}
    std::unique_ptr<FileLock> local_;
    std::string holder_;
    Remote* remote_ = nullptr;  // set once the board lock is ours
    std::string board_path_;
};

// "host=ctl pid=123 since=2026-11-25T22:00:00Z command=besrig deploy x.ko"
std::string lock_holder_text(const std::string& host, long pid, const std::string& command);

}  // namespace besrig::board
