// Owners for libssh's C handles (STYLE §5): each handle is freed exactly once,
// on every exit path, in the right order (channels and SFTP sessions before
// the session they belong to — callers keep the session alive longer by
// declaring it first). We do not use libsshpp.hpp: it has no move semantics
// and throws a type outside std::exception.
#pragma once

#include <libssh/libssh.h>
#include <libssh/sftp.h>
#include <memory>

namespace besrig::ssh {

struct SessionDeleter {
    void operator()(ssh_session s) const noexcept {
        if (ssh_is_connected(s) != 0) ssh_disconnect(s);
        ssh_free(s);
    }
};
// ssh_session is a pointer typedef; unique_ptr needs the pointee type.
using SessionPtr = std::unique_ptr<ssh_session_struct, SessionDeleter>;

struct ChannelDeleter {
    void operator()(ssh_channel c) const noexcept {
        if (ssh_channel_is_open(c) != 0) ssh_channel_close(c);
        ssh_channel_free(c);
    }
};
using ChannelPtr = std::unique_ptr<ssh_channel_struct, ChannelDeleter>;

struct SftpDeleter {
    void operator()(sftp_session s) const noexcept { sftp_free(s); }
};
using SftpPtr = std::unique_ptr<sftp_session_struct, SftpDeleter>;

struct SftpFileDeleter {
    void operator()(sftp_file f) const noexcept { sftp_close(f); }
};
using SftpFilePtr = std::unique_ptr<sftp_file_struct, SftpFileDeleter>;

struct KeyDeleter {
    void operator()(ssh_key k) const noexcept { ssh_key_free(k); }
};
using KeyPtr = std::unique_ptr<ssh_key_struct, KeyDeleter>;

struct SftpAttributesDeleter {
    void operator()(sftp_attributes a) const noexcept { sftp_attributes_free(a); }
};
using SftpAttributesPtr = std::unique_ptr<sftp_attributes_struct, SftpAttributesDeleter>;

}  // namespace besrig::ssh
