// An exclusive lock on a file for the life of a process (flock(2), so the
// kernel drops it when the holder dies: a crash never leaves it stale). The
// file names the holder (pid, start time, command) so a refused second
// process can say who holds it. Used by `besrig nightly` against overlapping
// nightlies and by the controller half of the board lock
// (rig/board/board_lock.hpp), each with its own holder text and refusal.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "util/unique_fd.hpp"

namespace besrig {

class FileLock {
public:
    // The mechanism: creates the file (and its directory) if needed, locks it
    // without waiting and writes `holder_line` into it. Returns nullptr and
    // sets `held_by` to the file's text (trimmed) when another process holds
    // the lock; throws Error(Infra) when the file cannot be created or locked.
    static std::unique_ptr<FileLock> try_acquire(const std::filesystem::path& path, const std::string& holder_line,
                                                 std::string& held_by);
    // Creates the file (and its directory) if needed and locks it without
    // waiting. Throws Error(Infra) "<what> is already running (pid N since T:
    // command; lock PATH)" when another process holds it.
    static std::unique_ptr<FileLock> acquire(const std::filesystem::path& path, const std::string& what,
                                             const std::string& command);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    const std::filesystem::path& path() const { return path_; }

private:
    FileLock(UniqueFd fd, std::filesystem::path path) : fd_(std::move(fd)), path_(std::move(path)) {}
    UniqueFd fd_;
    std::filesystem::path path_;
};

}  // namespace besrig
