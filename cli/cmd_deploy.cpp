// besrig deploy --patch P [--load] | deploy FILE.ko [--load] [--patch NAME]:
// verified deploy of one module (rig/board/deploy.hpp), under the board lock,
// every step logged with its seconds to the store as a run of kind "deploy".
// With --patch and no file, the build comes from the bundle: the newest build
// of P made for the kernel release the board runs (nothing is deployed that is
// not in the bundle); with a file, --patch only labels the run.
#include <CLI/CLI.hpp>

#include <chrono>
#include <optional>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "driver/bundle/build_gate.hpp"
#include "driver/bundle/bundle.hpp"
#include "phases/adapters/real_board.hpp"
#include "rig/board/board_lock.hpp"
#include "rig/board/deploy.hpp"
#include "rig/board/probes.hpp"
#include "rig/ssh/connect_board.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using nlohmann::json;

struct DeployCliOptions {
    std::string file;
    std::string patch;
    bool load = false;
};

std::string verdict_for(ErrorKind kind) { return kind == ErrorKind::PatchFailure ? "FAIL" : "INFRA_ERROR"; }

// The newest build of `patch` in the bundle made for `release`, its file verified.
ModuleBuild build_from_bundle(Context& ctx, const std::string& patch, const std::string& release) {
    Bundle bundle(expand_home(ctx.rig().driver.bundle_dir), ctx.store());
    const auto builds = bundle.list(patch);
    if (builds.empty())
        throw_usage("no build of patch '" + patch + "' in the bundle; run `besrig build --patch " + patch +
                    "` (or `besrig bundle add --patch " + patch + " FILE.ko`)");
    std::vector<std::string> releases;
    for (auto it = builds.rbegin(); it != builds.rend(); ++it) {
        if (it->kernel_release != release) {
            releases.push_back(it->kernel_release);
            continue;
        }
        ModuleBuild m;
        m.path = bundle.verified_file(*it);
        m.sha256 = it->sha256;
        m.srcversion = it->srcversion;
        m.patch = it->patch;
        m.vermagic = it->vermagic;
        return m;
    }
    throw_usage("no build of patch '" + patch + "' for the board's kernel " + release + " in the bundle (builds for: " +
                join(releases, ", ") + "); build one against that kernel's headers");
}

int deploy(Context& ctx, const DeployCliOptions& o) {
    const auto& rig = ctx.rig();
    if (o.file.empty() && o.patch.empty()) throw_usage("deploy needs --patch P (a build from the bundle) or a FILE.ko");
    if (o.file.empty()) check_patch_name(o.patch);
    std::optional<ModuleBuild> from_file;
    if (!o.file.empty()) from_file = module_build_from_file(o.file, o.patch);
    std::unique_ptr<Remote> remote;  // declared first: the lock releases over it, so it must outlive the lock
    auto lock = board::BoardLock::acquire_local(xdg_state_home() / "besrig", rig.board.name, ctx.command_line());
    remote = connect_board(rig, {});
    if (const auto note = lock->acquire_board(*remote); !note.empty()) ctx.console.warn(note);
    ModuleBuild build;
    if (from_file) {
        build = *from_file;
    } else {
        const auto release = board::kernel_release(*remote, std::chrono::milliseconds(static_cast<long long>(rig.timeouts.command_s * 1000)));
        if (!release) throw_infra("kernel release: " + release.error().describe());
        build = build_from_bundle(ctx, o.patch, release.value());
        ctx.console.info("deploy: " + build.patch + " build " + build.sha256.substr(0, 12) + " (srcversion " +
                         build.srcversion + ") from the bundle");
    }

    auto& store = ctx.store();
    NewRun nr;
    nr.kind = "deploy";
    nr.patch = build.patch;
    nr.rig = rig.board.name;
    nr.command = ctx.command_line();
    const auto run_id = store.begin_run(nr);
    store.set_run_build(run_id, build.sha256);

    board::DeployOptions options;
    options.load = false;  // loaded below through RealBoard: a hung rmmod escalates (module.unload_hang)
    options.progress = [&ctx](std::uint64_t done, std::uint64_t total) {
        ctx.console.status("upload " + format_bytes(done) + " / " + format_bytes(total));
    };
    auto log = [&](const board::StepRecord& r) {
        store.log(run_id, r.ok ? "info" : "error", r.step, r.message, r.seconds);
        ctx.console.clear_status();
        ctx.console.info("deploy: " + r.step + (r.ok ? " " + r.message : " FAILED: " + r.message) + " (" +
                         format_seconds(r.seconds) + ")");
    };
    board::DeployState state;
    try {
        board::deploy_module(*remote, rig, build, options, log, state);
        if (o.load) {
            phases::RealBoard rb(rig, ConnectOptions{});
            rb.set_step_log([&](const std::string& step, const std::string& message, double seconds, bool ok) {
                log(board::StepRecord{step, message, seconds, ok});
            });
            rb.reload_path(state.target, build.srcversion, state);
        }
    } catch (const Error& e) {
        if (!state.release.empty()) store.set_run_kernel(run_id, state.release);
        const std::string board_state = state.installed ? " [the new file IS installed at " + state.target +
                                                              (state.previous.empty() ? "" : "; previous kept at " + state.previous) + "]"
                                                        : "";
        store.finish_run(run_id, verdict_for(e.kind()), std::string(e.what()) + board_state,
                         exit_code_for(e.kind(), ctx.opts.bisect));
        if (!board_state.empty()) throw Error(e.kind(), std::string(e.what()) + board_state);
        throw;
    }
    store.set_run_kernel(run_id, state.release);
    const std::string verdict = state.loaded ? "LOADED" : "INSTALLED";
    store.finish_run(run_id, verdict, "", 0);

    if (ctx.opts.json) {
        ctx.console.result(json{{"run", run_id},
                                {"verdict", verdict},
                                {"file", build.path.string()},
                                {"sha256", build.sha256},
                                {"srcversion", build.srcversion},
                                {"kernel_release", state.release},
                                {"target", state.target},
                                {"previous", state.previous},
                                {"loaded", state.loaded},
                                {"running_srcversion", state.running_srcversion},
                                {"seconds", {{"upload", state.upload_seconds},
                                             {"verify", state.verify_seconds},
                                             {"install", state.install_seconds}}}}
                               .dump(2));
        return 0;
    }
    ctx.console.result("installed " + state.target + " (sha256 " + build.sha256 + ", verified on the board)");
    if (!state.previous.empty()) ctx.console.result("previous  kept at " + state.previous);
    if (state.loaded)
        ctx.console.result("running   " + rig.module.name + " srcversion " + state.running_srcversion +
                           " = this build (proven from /sys/module)");
    else
        ctx.console.result("running   unchanged (use --load to load it now)");
    ctx.console.result("run       " + std::to_string(run_id));
    return 0;
}

}  // namespace

void add_deploy_commands(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<DeployCliOptions>();
    auto* cmd = app.add_subcommand("deploy", "Upload a module, verify its sha256 on the board, install it atomically "
                                             "(keeping the previous file), optionally load it and prove it runs");
    cmd->add_option("file", o->file, "A module file (.ko) made elsewhere (default: the bundle's build of --patch)");
    cmd->add_flag("--load", o->load, "Unload the running module, load the new one, and prove it is running");
    cmd->add_option("--patch", o->patch,
                    "Deploy the bundle's build of this patch for the board's kernel (with FILE: only the run's label)");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return deploy(ctx, *o); }; });
}

}  // namespace besrig
