// Installed and running are different facts (BRIEF §1: "RUNNING is still
// Patch C broken until reboot"). This reads both from the board:
//   installed — the file at module.install_path: sha256, size, srcversion,
//               vermagic (from its .modinfo, read on the board);
//   running   — /sys/module/<m>: srcversion, version, refcount, initstate,
//               and the kernel's taint flags;
// and says whether they differ. srcversion is the bridge: it is what both
// the file and the running module report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "rig/board/board_command.hpp"

namespace besrig::board {

struct InstalledModule {
    std::string path;
    bool present = false;
    std::string sha256;
    std::uint64_t size = 0;
    std::string srcversion;
    std::string vermagic;
};

struct RunningModule {
    std::string name;
    bool loaded = false;
    std::string srcversion;  // empty when the module declares no MODULE_VERSION (and the kernel lacks SRCVERSION_ALL)
    std::string version;
    std::optional<int> refcount;
    std::string initstate;   // "live", "coming", "going"
    long long tainted = 0;   // /proc/sys/kernel/tainted
};

enum class IdentityMatch { Same, Differ, NotLoaded, NotInstalled, Unknown };
std::string to_string(IdentityMatch m);

struct ModuleIdentity {
    InstalledModule installed;
    RunningModule running;
    IdentityMatch match = IdentityMatch::Unknown;
};

Result<InstalledModule, RemoteError> installed_module(Remote& remote, const std::string& path, milliseconds timeout);
Result<RunningModule, RemoteError> running_module(Remote& remote, const std::string& name, milliseconds timeout);
IdentityMatch compare(const InstalledModule& installed, const RunningModule& running);
Result<ModuleIdentity, RemoteError> module_identity(Remote& remote, const std::string& name, const std::string& path,
                                                    milliseconds timeout);

// Taint flags as letters, like the kernel prints them ("OE" for 12288).
std::string taint_letters(long long tainted);

}  // namespace besrig::board
