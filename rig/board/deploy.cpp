#include "rig/board/deploy.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "rig/board/board_command.hpp"
#include "rig/board/module_identity.hpp"
#include "rig/board/probes.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig::board {
namespace {

using Clock = std::chrono::steady_clock;

milliseconds ms(double seconds) { return milliseconds(static_cast<long long>(std::llround(seconds * 1000.0))); }

std::string dirname_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// Times one step, logs it, and turns a failure into the right exception.
class Steps {
public:
    Steps(const StepLogger& log) : log_(log) {}

    template <typename F>
    auto run(const std::string& step, F&& body) -> decltype(body()) {
        const auto started = Clock::now();
        try {
            auto r = body();
            record(step, "ok", started, true);
            return r;
        } catch (const Error& e) {
            record(step, e.what(), started, false);
            throw;
        }
    }
    void note(const std::string& step, const std::string& message, double seconds = 0, bool ok = true) {
        if (log_) log_(StepRecord{step, message, seconds, ok});
    }
    static double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

private:
    void record(const std::string& step, const std::string& message, Clock::time_point started, bool ok) {
        if (log_) log_(StepRecord{step, message, since(started), ok});
    }
    const StepLogger& log_;
};

template <typename T>
T need(Result<T, RemoteError> r, const std::string& context) {
    if (!r) throw_infra(context + ": " + r.error().describe());
    return std::move(r).value();
}

}  // namespace

std::string upload_temp_path(const std::string& target) {
    const auto dir = dirname_of(target);
    const auto name = target.substr(target.rfind('/') + 1);
    return (dir == "/" ? "" : dir) + "/." + name + ".besrig-upload";
}

void deploy_module(Remote& remote, const RigConfig& config, const ModuleBuild& build, const DeployOptions& options,
                   const StepLogger& log, DeployState& state) {
    Steps steps(log);
    const auto cmd_timeout = ms(config.timeouts.command_s);
    const std::string intact = "; nothing installed, the board's module is intact";

    state.release = steps.run("release", [&] { return need(kernel_release(remote, cmd_timeout), "kernel release"); });
    if (!build.vermagic.empty() && build.kernel_release() != state.release)
        steps.run("vermagic", [&]() -> int {
            throw_usage(build.path.string() + " was built for kernel " + build.kernel_release() + " (vermagic \"" +
                        build.vermagic + "\") but the board runs " + state.release + intact);
        });
    state.target = config.module_install_path(state.release);
    const std::string target = state.target;
    const std::string temp = upload_temp_path(target);
    std::error_code ec;
    const auto size = std::filesystem::file_size(build.path, ec);
    if (ec) throw_infra("cannot read " + build.path.string() + ": " + ec.message());

    steps.run("space", [&] {
        const auto space = need(free_space(remote, target, cmd_timeout), "free space");
        const std::uint64_t needed = size + 64 * 1024;
        if (space.available_bytes < needed)
            throw_infra("disk full on the board: " + format_bytes(space.available_bytes) + " free at " + space.path +
                        ", the module needs " + format_bytes(needed) + intact);
        return 0;
    });
    steps.run("mkdir", [&] { return need(run_checked(remote, {"mkdir", "-p", dirname_of(target)}, cmd_timeout), "mkdir"); });

    auto remove_temp = [&] { remote.run({"rm", "-f", temp}, cmd_timeout); };
    const auto t_upload = Clock::now();
    steps.run("upload", [&] {
        auto up = remote.upload(build.path, temp, options.progress);
        if (!up) {
            // SFTP v3 reports most errno values as a bare "Failure": ask the board's
            // shell to write there too, whose error names the cause (disk full, read-only...).
            std::string cause;
            if (auto probe = remote.run_script("printf x > \"$1\"", {temp}, cmd_timeout); probe && probe->exit_status != 0)
                cause = "; writing " + temp + " on the board: " + printable(trim(probe->err), 300);
            remove_temp();
            throw_infra("upload failed: " + up.error().describe() + cause + intact);
        }
        return 0;
    });
    state.upload_seconds = Steps::since(t_upload);

    const auto t_verify = Clock::now();
    steps.run("verify", [&] {
        auto sum = run_checked(remote, {"sha256sum", temp}, cmd_timeout);
        if (!sum) {
            remove_temp();
            throw_infra("verify: " + sum.error().describe() + intact);
        }
        const std::string got = sum->out.substr(0, std::min<std::size_t>(64, sum->out.size()));
        const bool is_hex = got.size() == 64 && got.find_first_not_of("0123456789abcdef") == std::string::npos &&
                            (sum->out.size() == 64 || sum->out[64] == ' ');
        if (!is_hex) {
            // Not a hash at all: the board's tool is broken, nothing says the upload is.
            remove_temp();
            throw_infra("verify: " + bad_reply(remote, shell_join({"sha256sum", temp}), sum->out,
                                                   "\"<64 hex digits>  " + temp + "\"")
                                         .describe() +
                        "; temporary file removed" + intact);
        }
        if (got != build.sha256) {
            remove_temp();
            throw_infra("upload corrupted in flight: the board computed sha256 " + printable(got) + " for " + temp +
                        ", the build is " + build.sha256 + "; temporary file removed" + intact);
        }
        return 0;
    });
    state.verify_seconds = Steps::since(t_verify);

    const auto t_install = Clock::now();
    steps.run("install", [&] {
        // Keep the previous file (hard link: no copy, no space; else copy), then
        // rename over the target, so the path always names a whole module.
        static const std::string script =
            "set -e; if [ -e \"$2\" ]; then ln -f \"$2\" \"$2.prev\" 2>/dev/null || cp -p \"$2\" \"$2.prev\"; "
            "echo kept=1; fi; mv -f \"$1\" \"$2\"; sync";
        auto r = script_checked(remote, "install", script, {temp, target}, cmd_timeout);
        if (!r) {
            remove_temp();
            throw_infra("install: " + r.error().describe());
        }
        if (r->out.find("kept=1") != std::string::npos) state.previous = target + ".prev";
        return 0;
    });
    state.installed = true;
    state.install_seconds = Steps::since(t_install);

    steps.run("depmod", [&] {
        // The module index (modules.dep, aliases) matters for autoload at the
        // next boot, not for us (we insmod by path), and `depmod -a` reads
        // every module of the release: over a minute on the emulated board,
        // where it used to run detached after every deploy and overlap the
        // stress that followed. Now it runs only when the index would change
        // -- the path is not indexed yet (a first install), or the module's
        // dependencies or aliases differ from the one it replaces -- and then
        // detached at the lowest priority and one at a time (a 512 MB emulated
        // board ran out of memory with depmods piled up), noted in the deploy
        // log. A module installed outside /lib/modules/RELEASE is not indexed
        // (depmod would not see it), and an absent depmod is tolerated.
        static const std::string script = R"SH(command -v depmod >/dev/null 2>&1 || { echo absent; exit 0; }
rel=$1 target=$2 prev=$3
case $target in
  /lib/modules/"$rel"/*) rp=${target#/lib/modules/"$rel"/} ;;
  /usr/lib/modules/"$rel"/*) rp=${target#/usr/lib/modules/"$rel"/} ;;
  *) echo outside; exit 0 ;;
esac
dep=/lib/modules/$rel/modules.dep
if [ -n "$prev" ] && [ -f "$prev" ] && [ -f "$dep" ] && command -v modinfo >/dev/null 2>&1 &&
   awk -F: -v p="$rp" '$1 == p { found = 1 } END { exit !found }' "$dep"; then
  # kmod's modinfo takes only *.ko names as paths: the kept file is linked as one.
  d=$(mktemp -d) && ln -s "$prev" "$d/prev.ko" &&
    new=$(modinfo -F depends "$target" && modinfo -F alias "$target") &&
    old=$(modinfo -F depends "$d/prev.ko" && modinfo -F alias "$d/prev.ko") &&
    [ "$new" = "$old" ] && same=1
  [ -n "$d" ] && rm -rf "$d"
  [ -n "${same:-}" ] && { echo unchanged; exit 0; }
fi
# One depmod at a time (each holds the whole index in memory): later ones queue.
if command -v flock >/dev/null 2>&1; then
  (flock 9 && nice -n 19 depmod -a "$rel") 9>/tmp/.besrig-depmod.lock </dev/null >/dev/null 2>&1 &
else
  nice -n 19 depmod -a "$rel" </dev/null >/dev/null 2>&1 &
fi
echo started)SH";
        auto r = remote.run_script(script, {state.release, target, state.previous}, cmd_timeout);
        if (!r) throw_infra("depmod: " + r.error().describe());
        const auto out = trim(r->out);
        if (out == "absent") steps.note("depmod", "no depmod on the board (tolerated)");
        else if (out == "outside") steps.note("depmod", target + " is outside /lib/modules/" + state.release + ": depmod does not index it");
        else if (out == "unchanged") steps.note("depmod", "module index unchanged (same path, dependencies and aliases): not rebuilt");
        else steps.note("depmod", "module index changes (new path, dependencies or aliases): depmod -a " +
                                      state.release + " started in the background at nice 19");
        return 0;
    });

    if (options.load) reload_and_prove(remote, config, target, build.srcversion, log, state);
}

void reload_and_prove(Remote& remote, const RigConfig& config, const std::string& path, const std::string& srcversion,
                      const StepLogger& log, DeployState& state) {
    Steps steps(log);
    const auto cmd_timeout = ms(config.timeouts.command_s);
    const auto load_timeout = ms(config.timeouts.load_s);
    const std::string& name = config.module.name;

    steps.run("unload", [&] {
        const auto running = need(running_module(remote, name, cmd_timeout), "running module");
        if (!running.loaded) return 0;
        auto r = remote.run({"rmmod", name}, load_timeout);
        if (!r && r.error().kind == RemoteErrorKind::Timeout)
            throw UnloadHung("rmmod " + name + " hung for more than " + format_seconds(config.timeouts.load_s) +
                             " (timeouts.load_s): the module's exit does not return, the old module cannot be unloaded");
        if (!r) throw_infra("rmmod: " + r.error().describe());
        if (r->exit_status != 0)
            throw_infra("rmmod " + name + " failed (exit " + std::to_string(r->exit_status) +
                        "): " + printable(trim(r->err)) + "; the old module is still running");
        return 0;
    });
    state.old_unloaded = true;

    steps.run("load", [&] {
        std::vector<std::string> argv{"insmod", path};
        for (const auto& p : split(config.module.params, ' '))
            if (!p.empty()) argv.push_back(p);
        auto r = remote.run(argv, load_timeout);
        if (!r) throw_infra("insmod: " + r.error().describe());
        if (r->exit_status != 0)
            throw Error(ErrorKind::PatchFailure, "the new module did not load: `" + shell_join(argv) + "` exited " +
                                                     std::to_string(r->exit_status) + ": " + printable(trim(r->err)));
        return 0;
    });

    steps.run("prove", [&] {
        const auto running = need(running_module(remote, name, cmd_timeout), "running module");
        if (!running.loaded) throw_infra("insmod succeeded but /sys/module/" + name + " is not live");
        if (running.srcversion.empty())
            throw_infra("cannot prove which module runs: /sys/module/" + name +
                        "/srcversion is missing (the module needs MODULE_VERSION, or a kernel with "
                        "CONFIG_MODULE_SRCVERSION_ALL)");
        if (srcversion.empty())
            throw_infra("cannot prove which module runs: the build has no srcversion (running: " + running.srcversion + ")");
        if (running.srcversion != srcversion)
            throw_infra("the running module is not this build: /sys/module/" + name + "/srcversion is " +
                        printable(running.srcversion) + ", the build's is " + srcversion);
        state.running_srcversion = running.srcversion;
        return 0;
    });
    state.loaded = true;
}

}  // namespace besrig::board
