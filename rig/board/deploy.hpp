// Verified deploy of one module build (BRIEF §4 Phase 6, issue 7):
//   release  — ask the board; refuse a build made for another kernel
//   space    — enough free space next to the target, or a clear "disk full"
//   upload   — SFTP to a hidden temporary file next to the target (same
//              file system, so the final rename is atomic)
//   verify   — sha256sum on the board must equal the build's sha256; a
//              mismatch removes the temporary file and refuses
//   install  — keep the previous file as <path>.prev (hard link, else copy),
//              then mv over the target: the path always holds a whole module
//   depmod   — depmod -a <release>, detached (it can take minutes); tolerated when absent
// and with load:
//   unload   — rmmod the running module, with a deadline
//   load     — insmod the installed file with module.params, with a deadline
//   prove    — /sys/module/<m>/srcversion must equal the build's srcversion
// Until `install` the board is untouched: every failure before it leaves the
// old module intact. Each step is reported to a StepLogger with its seconds
// (the CLI stores them in the run log); DeployState tells a caller that must
// roll back how far the deploy got, also when it threw.
#pragma once

#include <functional>
#include <string>

#include "config/config.hpp"
#include "rig/board/module_build.hpp"
#include "rig/ssh/remote.hpp"
#include "util/error.hpp"

namespace besrig::board {

// rmmod outlived timeouts.load_s: the module's exit hangs in the kernel and
// the old module cannot be unloaded. rig/board cannot reboot or power-cycle
// a board; the caller escalates per module.unload_hang (phases::RealBoard).
class UnloadHung : public Error {
public:
    explicit UnloadHung(const std::string& message) : Error(ErrorKind::Infra, message) {}
};

struct StepRecord {
    std::string step;
    std::string message;
    double seconds = 0;
    bool ok = true;
};
using StepLogger = std::function<void(const StepRecord&)>;

struct DeployOptions {
    bool load = false;
    std::function<void(std::uint64_t, std::uint64_t)> progress;  // upload bytes done / total
};

struct DeployState {
    std::string release;
    std::string target;         // the install path
    std::string previous;       // "<target>.prev" when an older file was kept
    bool installed = false;     // the target now holds the new build
    bool old_unloaded = false;  // the previous module was removed from the kernel
    bool loaded = false;        // the new module is loaded and proven
    std::string running_srcversion;
    double upload_seconds = 0;  // upload + verify + install, for the deploy benchmark
    double verify_seconds = 0;
    double install_seconds = 0;
};

// Deploys `build`; throws Error(Usage) for a build that cannot run on this
// board's kernel, Error(PatchFailure) when the new module refuses to load,
// Error(Infra) for everything else — each message naming the step and
// whether the old module is intact. `state` is filled as steps complete.
void deploy_module(Remote& remote, const RigConfig& config, const ModuleBuild& build, const DeployOptions& options,
                   const StepLogger& log, DeployState& state);

// The hidden temporary name an upload uses next to `target`.
std::string upload_temp_path(const std::string& target);

// Unloads `module` (if loaded) and loads the file at `path`, with deadlines;
// then proves /sys/module/<module>/srcversion equals `srcversion`. Used by
// deploy and by rollback. Fills state.old_unloaded / loaded / running_srcversion.
// Throws UnloadHung when rmmod does not return within timeouts.load_s.
void reload_and_prove(Remote& remote, const RigConfig& config, const std::string& path, const std::string& srcversion,
                      const StepLogger& log, DeployState& state);

}  // namespace besrig::board
