#include "phases/adapters/real_board.hpp"

#include <thread>

#include "phases/adapters/rig_power.hpp"
#include "rig/board/module_identity.hpp"
#include "rig/board/probes.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"
#include "util/terminal.hpp"

namespace besrig::phases {
namespace {

using Clock = std::chrono::steady_clock;

ModuleBuild to_module_build(const BuildRecord& b) {
    ModuleBuild m;
    m.path = b.path;
    m.sha256 = b.sha256;
    m.srcversion = b.srcversion;
    m.patch = b.patch;
    m.vermagic = b.vermagic;
    return m;
}

}  // namespace

bool is_link_failure(const RemoteError& e) {
    return e.kind == RemoteErrorKind::Timeout || e.kind == RemoteErrorKind::Refused ||
           e.kind == RemoteErrorKind::Disconnected;
}

std::unique_ptr<Remote> connect_or_throw(const RigConfig& config, const ConnectOptions& options) {
    auto r = try_connect_board(config, options);
    if (!r) {
        if (is_link_failure(r.error())) throw BoardUnreachable(r.error().describe());
        throw_infra(r.error().describe());
    }
    return std::move(r.value());
}

RealBoard::RealBoard(const RigConfig& config, ConnectOptions options, BoardConnector connect)
    : config_(config), options_(options), connect_(std::move(connect)) {}

namespace {
std::unique_ptr<Remote> open_or_throw(const BoardConnector& connect, const RigConfig& config, const ConnectOptions& options) {
    auto r = connect(config, options);
    if (!r) {
        if (is_link_failure(r.error())) throw BoardUnreachable(r.error().describe());
        throw_infra(r.error().describe());
    }
    return std::move(r.value());
}
}  // namespace

std::chrono::milliseconds RealBoard::command_timeout() const {
    return std::chrono::milliseconds(static_cast<long long>(config_.timeouts.command_s * 1000));
}

Remote& RealBoard::remote() {
    if (!remote_) remote_ = open_or_throw(connect_, config_, options_);
    return *remote_;
}

template <typename T>
T RealBoard::check(Result<T, RemoteError> r) {
    if (r) return std::move(r).value();
    if (is_link_failure(r.error())) {
        remote_.reset();  // reconnect next time
        throw BoardUnreachable(r.error().describe());
    }
    throw_infra(r.error().describe());
}

std::string RealBoard::kernel_release() {
    if (release_.empty()) release_ = check(board::kernel_release(remote(), command_timeout()));
    return release_;
}

std::vector<std::string> RealBoard::preflight_problems() {
    std::vector<std::string> problems;
    const auto tools = check(board::tools_present(
        remote(), {"iperf3", "ip", "ping", "sha256sum", "insmod", "rmmod", "dmesg", "cat"}, command_timeout()));
    for (const auto& t : tools.missing) problems.push_back(t + " is missing on the board");
    const auto target = config_.module_install_path(kernel_release());
    const auto space = check(board::free_space(remote(), target, command_timeout()));
    if (space.available_bytes < 8ull * 1024 * 1024)
        problems.push_back("only " + format_bytes(space.available_bytes) + " free at " + space.path +
                           " (need 8 MiB for a module and its previous copy)");
    return problems;
}

double RealBoard::uptime_s() { return check(board::uptime_seconds(remote(), command_timeout())); }

RunningModule RealBoard::running_module() {
    const auto r = check(board::running_module(remote(), config_.module.name, command_timeout()));
    return RunningModule{r.loaded, r.srcversion, r.version, board::taint_letters(r.tainted)};
}

board::StepLogger RealBoard::step_logger() {
    if (!step_log_) return {};
    return [this](const board::StepRecord& r) {
        if (step_log_) step_log_(r.step, r.message, r.seconds, r.ok);
    };
}

void RealBoard::install(const BuildRecord& build) {
    const auto target = config_.module_install_path(kernel_release());
    const auto installed = check(board::installed_module(remote(), target, command_timeout()));
    if (installed.present && installed.sha256 == build.sha256) return;  // already the installed file
    board::DeployOptions opts;
    opts.load = false;
    board::DeployState state;
    try {
        board::deploy_module(remote(), config_, to_module_build(build), opts, step_logger(), state);
    } catch (const Error& e) {
        if (!management_alive()) throw BoardUnreachable(e.what());
        throw;
    }
}

void RealBoard::reload(const BuildRecord& build) {
    board::DeployState state;
    reload_path(config_.module_install_path(kernel_release()), build.srcversion, state);
}

void RealBoard::reload_path(const std::string& path, const std::string& srcversion, board::DeployState& state) {
    try {
        try {
            board::reload_and_prove(remote(), config_, path, srcversion, step_logger(), state);
            return;
        } catch (const board::UnloadHung& e) {
            escalate_hung_unload(e.what());
        }
        // A fresh kernel: the board loaded its installed module at boot (or
        // nothing). Prove what runs; load the file when nothing does.
        const auto running = running_module();
        if (running.loaded && running.srcversion == srcversion) {
            state.old_unloaded = true;
            state.loaded = true;
            state.running_srcversion = running.srcversion;
            if (step_log_) step_log_("prove", "after the escalation the board runs srcversion " + srcversion, 0, true);
            return;
        }
        board::reload_and_prove(remote(), config_, path, srcversion, step_logger(), state);
    } catch (const board::UnloadHung&) {
        throw;  // hung again right after a fresh boot: nothing more to escalate to
    } catch (const BoardUnreachable&) {
        throw;
    } catch (const Error& e) {
        if (!management_alive()) throw BoardUnreachable(e.what());
        throw;
    }
}

void RealBoard::escalate_hung_unload(const std::string& why) {
    const std::string& action = config_.module.unload_hang;
    const auto started = Clock::now();
    auto seconds = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
    if (action == "fail") {
        if (step_log_) step_log_("escalate", why + "; module.unload_hang is \"fail\": not escalating", 0, false);
        throw board::UnloadHung(why + "; module.unload_hang is \"fail\": reboot or power-cycle the board by hand");
    }
    if (step_log_) step_log_("escalate", why + "; escalating: " + action + " (module.unload_hang)", 0, false);
    try {
        if (action == "power_cycle") {
            const auto sw = make_phase_power_switch(config_);
            if (!sw->available())
                throw_infra("module.unload_hang is \"power_cycle\" but no power switch is configured (power.kind)");
            remote_.reset();
            sw->cycle();
            std::this_thread::sleep_for(std::chrono::seconds(3));
            wait_reachable(std::chrono::milliseconds(static_cast<long long>(config_.timeouts.boot_s * 1000)));
        } else {
            reboot();
        }
    } catch (const Error& e) {
        if (step_log_) step_log_("escalate", why + "; " + action + " failed: " + e.what(), seconds(), false);
        throw;
    }
    release_.clear();
    if (step_log_) step_log_("escalate", why + "; " + action + " done, the board answers again", seconds(), true);
}

void RealBoard::reboot() {
    // Detached, so the reply comes back before the link goes.
    (void)remote().run_script("(sleep 1; reboot) >/dev/null 2>&1 &", {}, std::chrono::seconds(5));
    remote_.reset();
    std::this_thread::sleep_for(std::chrono::seconds(3));
    wait_reachable(std::chrono::milliseconds(static_cast<long long>(config_.timeouts.boot_s * 1000)));
}

void RealBoard::wait_reachable(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::string last;
    while (Clock::now() < deadline) {
        remote_.reset();
        auto r = connect_(config_, options_);
        if (r) {
            remote_ = std::move(r.value());
            auto probe = remote_->run({"true"}, std::chrono::seconds(5));
            if (probe && probe->exit_status == 0) return;
        } else {
            last = r.error().describe();
            // While a board boots, QEMU's port forward (or a half-started
            // sshd) accepts and resets: keep trying. Only a key or an
            // authentication problem will not heal by waiting.
            if (r.error().kind == RemoteErrorKind::HostKey || r.error().kind == RemoteErrorKind::Auth) throw_infra(last);
        }
        std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    remote_.reset();
    throw BoardUnreachable("the board did not answer on its management link within " +
                           format_seconds(static_cast<double>(timeout.count()) / 1000) + (last.empty() ? "" : ": " + last));
}

std::string RealBoard::wait_data_link(std::chrono::milliseconds timeout) {
    if (config_.board.data.address_source == "static") return config_.board.data.address;
    const auto deadline = Clock::now() + timeout;
    board::LinkState last;
    while (true) {
        last = check(board::link_state(remote(), config_.board.data.interface, command_timeout()));
        if (last.up() && !last.ipv4.empty()) return last.ipv4.front().substr(0, last.ipv4.front().find('/'));
        if (Clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    throw Error(ErrorKind::PatchFailure,
                config_.board.data.interface + " did not come up within " +
                    format_seconds(static_cast<double>(timeout.count()) / 1000) + " (exists: " +
                    (last.exists ? "yes" : "no") + ", operstate: " + (last.operstate.empty() ? "?" : last.operstate) +
                    ", carrier: " + (last.carrier ? "yes" : "no") + ", address: " +
                    (last.ipv4.empty() ? "none" : last.ipv4.front()) + ")");
}

Board::Probe RealBoard::probe_data_path(const std::string& peer) {
    try {
        // One handshake attempt at most, like management_alive(): the
        // watchdog asks again on its next round.
        if (!remote_) {
            ConnectOptions once = options_;
            once.attempts = 1;
            remote_ = connect_or_throw(config_, once);
        }
        auto r = remote().run({"ping", "-c", "1", "-W", "1", "-I", config_.board.data.interface, peer},
                              std::chrono::seconds(4));
        if (!r) {
            if (is_link_failure(r.error())) remote_.reset();
            return Probe::Unreachable;
        }
        return r->exit_status == 0 ? Probe::Answered : Probe::NoAnswer;
    } catch (const Error&) {
        return Probe::Unreachable;  // no management link
    }
}

bool RealBoard::management_alive() {
    try {
        // One handshake attempt: the watchdog must decide HOST_DOWN in
        // seconds, not after every retry a normal connect allows.
        if (!remote_) {
            ConnectOptions once = options_;
            once.attempts = 1;
            remote_ = open_or_throw(connect_, config_, once);
        }
        auto r = remote().run({"true"}, std::chrono::milliseconds(static_cast<long long>(config_.timeouts.keepalive_s * 1000 + 2000)));
        if (!r) remote_.reset();
        return r && r->exit_status == 0;
    } catch (const Error&) {
        return false;
    }
}

std::map<std::string, std::string> RealBoard::read_files(const std::vector<std::string>& paths) {
    std::map<std::string, std::string> out;
    if (paths.empty()) return out;
    const auto r = check(remote().run_script(
        "for f in \"$@\"; do printf '\\036%s\\n' \"$f\"; cat \"$f\" 2>/dev/null || echo '(absent)'; done", paths,
        command_timeout()));
    std::string current;
    for (const auto& line : split_lines(r.out)) {
        if (!line.empty() && line[0] == '\x1e') {
            current = line.substr(1);
            out[current];
        } else if (!current.empty()) {
            out[current] += line + "\n";
        }
    }
    return out;
}

void RealBoard::mark_log(const std::string& text) {
    const auto r = check(remote().run_script("echo \"$1\" > /dev/kmsg", {text}, command_timeout()));
    if (r.exit_status != 0) throw_infra("cannot write to /dev/kmsg on the board: " + printable(r.err));
}

}  // namespace besrig::phases
