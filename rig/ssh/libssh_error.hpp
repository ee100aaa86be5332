// libssh's last error as the tail of a message: " (libssh: <text>)", or
// nothing when libssh has no text for it (a stalled channel open leaves the
// error empty, and "(libssh: )" tells the reader nothing).
#pragma once

#include <libssh/libssh.h>
#include <string>

#include "util/strings.hpp"

namespace besrig::ssh {

inline std::string libssh_detail(void* handle) {
    const char* text = handle ? ssh_get_error(handle) : nullptr;
    const auto s = trim(text ? text : "");
    return s.empty() ? std::string() : " (libssh: " + std::string(s) + ")";
}

}  // namespace besrig::ssh
