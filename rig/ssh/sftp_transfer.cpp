// SshRemote's file transfers over SFTP. Uploads write the target path as
// given (deploy uploads to a temporary name and renames on the board itself);
// downloads land in "<local>.part" and are renamed when complete, so a broken
// transfer never leaves a plausible-looking file behind.
#include <fcntl.h>
#include <fstream>
#include <vector>

#include "rig/ssh/libssh_error.hpp"
#include "rig/ssh/ssh_remote.hpp"
#include "util/strings.hpp"

namespace besrig::ssh {
namespace {

constexpr std::size_t k_chunk = 64 * 1024;  // OpenSSH accepts up to 256 KiB per write

std::string sftp_text(int code) {
    switch (code) {
        case SSH_FX_OK: return "ok";
        case SSH_FX_EOF: return "unexpected end of file";
        case SSH_FX_NO_SUCH_FILE: return "no such file";
        case SSH_FX_PERMISSION_DENIED: return "permission denied";
        case SSH_FX_FAILURE: return "failure (the board's disk may be full)";
        case SSH_FX_BAD_MESSAGE: return "bad message";
        case SSH_FX_NO_CONNECTION: return "no connection";
        case SSH_FX_CONNECTION_LOST: return "connection lost";
        case SSH_FX_OP_UNSUPPORTED: return "operation unsupported";
        case SSH_FX_NO_SUCH_PATH: return "no such path";
        case SSH_FX_FILE_ALREADY_EXISTS: return "file already exists";
        case SSH_FX_WRITE_PROTECT: return "write protected";
        case SSH_FX_NO_MEDIA: return "no media";
        default: return "SFTP error " + std::to_string(code);
    }
}

}  // namespace

Result<SftpPtr, RemoteError> SshRemote::open_sftp(const std::string& what) {
    SftpPtr sftp(sftp_new(session_.get()));
    if (!sftp) return fail(libssh_error(what, "cannot start SFTP"));
    if (sftp_init(sftp.get()) != SSH_OK)
        return fail(libssh_error(what, "the board's SFTP subsystem did not start (error " +
                                           std::to_string(sftp_get_error(sftp.get())) + ")"));
    return sftp;
}

Result<Done, RemoteError> SshRemote::upload(const std::filesystem::path& local, const std::string& remote_path,
                                            const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
    const std::string what = "upload " + local.string() + " -> " + remote_path;
    std::ifstream in(local, std::ios::binary);
    std::error_code ec;
    const auto total = std::filesystem::file_size(local, ec);
    if (!in || ec) return fail(error(RemoteErrorKind::Transfer, what, "cannot read the local file"));

    auto sftp = open_sftp(what);
    if (!sftp) return fail(sftp.error());
    auto transfer_error = [&](const std::string& step) {
        const int code = sftp_get_error(sftp->get());
        if (ssh_is_connected(session_.get()) == 0) return libssh_error(what, step);
        return error(RemoteErrorKind::Transfer, what, step + ": " + sftp_text(code) + libssh_detail(session_.get()));
    };
    SftpFilePtr file(sftp_open(sftp->get(), remote_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    if (!file) return fail(transfer_error("cannot create the remote file"));

    std::vector<char> buf(k_chunk);
    std::uint64_t done = 0;
    if (progress) progress(0, total);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n == 0) break;
        const ssize_t w = sftp_write(file.get(), buf.data(), n);
        if (w < 0 || static_cast<std::size_t>(w) != n)
            return fail(transfer_error("write failed after " + format_bytes(done)));
        done += n;
        if (progress) progress(done, total);
    }
    if (in.bad()) return fail(error(RemoteErrorKind::Transfer, what, "reading the local file failed"));
    if (sftp_close(file.release()) != SSH_NO_ERROR) return fail(transfer_error("closing the remote file failed"));
    return Done{};
}

Result<Done, RemoteError> SshRemote::download(const std::string& remote_path, const std::filesystem::path& local) {
    const std::string what = "download " + remote_path + " -> " + local.string();
    auto sftp = open_sftp(what);
    if (!sftp) return fail(sftp.error());
    auto transfer_error = [&](const std::string& step) {
        if (ssh_is_connected(session_.get()) == 0) return libssh_error(what, step);
        return error(RemoteErrorKind::Transfer, what, step + ": " + sftp_text(sftp_get_error(sftp->get())));
    };
    SftpFilePtr file(sftp_open(sftp->get(), remote_path.c_str(), O_RDONLY, 0));
    if (!file) return fail(transfer_error("cannot open the remote file"));

    const std::filesystem::path part = local.string() + ".part";
    {
        std::ofstream out(part, std::ios::binary | std::ios::trunc);
        if (!out) return fail(error(RemoteErrorKind::Transfer, what, "cannot write " + part.string()));
        std::vector<char> buf(k_chunk);
        for (;;) {
            const ssize_t n = sftp_read(file.get(), buf.data(), buf.size());
            if (n < 0) {
                std::error_code ec;
                std::filesystem::remove(part, ec);
                return fail(transfer_error("read failed"));
            }
            if (n == 0) break;
            out.write(buf.data(), n);
        }
        if (!out.flush()) return fail(error(RemoteErrorKind::Transfer, what, "writing " + part.string() + " failed"));
    }
    std::error_code ec;
    std::filesystem::rename(part, local, ec);
    if (ec) return fail(error(RemoteErrorKind::Transfer, what, "cannot rename " + part.string() + ": " + ec.message()));
    return Done{};
}

}  // namespace besrig::ssh
