#include "util/file_lock.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/error.hpp"
#include "util/strings.hpp"
#include "util/terminal.hpp"

namespace besrig {

std::unique_ptr<FileLock> FileLock::try_acquire(const std::filesystem::path& path, const std::string& holder_line,
                                                std::string& held_by) {
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) throw_infra("cannot create " + path.parent_path().string() + " for the lock file: " + ec.message());
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!fd) throw_infra("cannot open lock file " + path.string() + ": " + std::strerror(errno));
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        if (err != EWOULDBLOCK) throw_infra("cannot lock " + path.string() + ": " + std::strerror(err));
        std::string holder(512, '\0');
        const ssize_t n = ::pread(fd.get(), holder.data(), holder.size(), 0);
        holder.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
        held_by = std::string(trim(holder));
        return nullptr;
    }
    const std::string line = holder_line + "\n";
    if (::ftruncate(fd.get(), 0) == 0 && ::pwrite(fd.get(), line.data(), line.size(), 0) < 0) {
        // The name is only for messages; the flock is what matters.
    }
    return std::unique_ptr<FileLock>(new FileLock(std::move(fd), path));
}

std::unique_ptr<FileLock> FileLock::acquire(const std::filesystem::path& path, const std::string& what,
                                            const std::string& command) {
    const std::string line = "pid " + std::to_string(static_cast<long>(::getpid())) + " since " + utc_timestamp() +
                             " UTC: " + printable(command, 300);
    std::string held_by;
    auto lock = try_acquire(path, line, held_by);
    if (!lock)
        throw_infra(what + " is already running (" +
                    (held_by.empty() ? std::string("holder unknown") : printable(held_by)) + "; lock " +
                    path.string() + "): this one does not start");
    return lock;
}

FileLock::~FileLock() {
    if (fd_) {
        if (::ftruncate(fd_.get(), 0) != 0) { /* the flock is what matters */ }
        ::flock(fd_.get(), LOCK_UN);
    }
}

}  // namespace besrig
