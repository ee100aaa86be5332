// besrig sim up|down|status|console|link|freeze|thaw|cpus — the simulated board (BRIEF §8).
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "rig/power/qmp.hpp"
#include "sim/board.hpp"
#include "sim/qemu_command.hpp"
#include "sim/state.hpp"
#include "sim/vcpu_dump.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"
#include "util/table.hpp"

namespace besrig {
namespace {

struct SimOptions {
    std::string name;  // empty: board.sim_name of the config
    double boot_timeout_s = 0;  // 0: timeouts.boot_s of the config
    std::string memory = k_sim_default_memory;
    int port = 0;
    bool no_follow = false;
    std::size_t lines = 30;
    std::string link;
    std::string link_state;
    int stack_words = 256;
};

std::string board_name(Context& ctx, const SimOptions& o) {
    if (!o.name.empty()) return o.name;
    // Without a usable config the default board is "ohm".
    try {
        return ctx.rig().board.sim_name.empty() ? "ohm" : ctx.rig().board.sim_name;
    } catch (const Error&) {
        return "ohm";
    }
}

SimBoard make_board(Context& ctx, const SimOptions& o, ProcessRunner& runner) {
    const auto name = board_name(ctx, o);
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
        throw_usage("--name " + printable(name) + ": expected a plain name such as ohm or board2");
    return SimBoard(name, sim_state_dir(name), runner);
}

std::string uptime_text(double s) {
    char buf[32];
    if (s < 120)
        std::snprintf(buf, sizeof buf, "%.0f s", s);
    else
        std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
    return buf;
}

int sim_up(Context& ctx, const SimOptions& o) {
    LocalProcessRunner runner;
    auto board = make_board(ctx, o, runner);
    SimUpOptions up;
    double timeout = o.boot_timeout_s;
    if (timeout <= 0) {
        try {
            timeout = ctx.rig().timeouts.boot_s;
        } catch (const Error&) {
            timeout = 180;
        }
    }
    up.boot_timeout = std::chrono::seconds(static_cast<long>(timeout));
    up.memory = o.memory;
    if (o.port > 0) up.ssh_port = o.port;
    const auto r = board.up(up, [&](const std::string& line) { ctx.console.status("sim " + board.name() + ": " + line); });
    ctx.console.clear_status();
    if (ctx.opts.json) {
        ctx.console.result(nlohmann::json{{"name", board.name()},
                                          {"boot_seconds", r.boot_seconds},
                                          {"ssh_port", r.ssh_port},
                                          {"pid", r.pid},
                                          {"kernel_release", r.kernel_release},
                                          {"rig_config", r.rig_config.string()},
                                          {"state_dir", board.state_dir().string()},
                                          {"ssh_command", r.ssh_command}}
                               .dump(2));
        return 0;
    }
    char boot[64];
    std::snprintf(boot, sizeof boot, "%.1f s", r.boot_seconds);
    ctx.console.result("board " + board.name() + " up: boot to SSH " + boot + ", kernel " + r.kernel_release +
                       ", SSH 127.0.0.1:" + std::to_string(r.ssh_port) + ", pid " + std::to_string(r.pid));
    ctx.console.result("rig config: " + r.rig_config.string());
    ctx.console.result("ssh: " + r.ssh_command);
    return 0;
}

int sim_down(Context& ctx, const SimOptions& o) {
    LocalProcessRunner runner;
    auto board = make_board(ctx, o, runner);
    const bool was_running = board.down();
    ctx.console.result("board " + board.name() + (was_running ? " stopped" : " was not running"));
    return 0;
}

int sim_status(Context& ctx, const SimOptions& o) {
    LocalProcessRunner runner;
    auto board = make_board(ctx, o, runner);
    const auto s = board.status();
    if (s.stale_pid_file) ctx.console.warn("board " + s.name + ": stale PID file (QEMU is gone); removed");
    if (ctx.opts.json) {
        ctx.console.result(s.to_json().dump(2));
        return s.state == SimState::Down ? 3 : 0;
    }
    TextTable t({"board", "state", "pid", "ssh", "qemu up", "board up", "kernel", "boot to SSH"});
    if (s.state == SimState::Down) {
        t.add({s.name, "down", "-", "-", "-", "-", "-", "-"});
    } else {
        char boot[32];
        std::snprintf(boot, sizeof boot, "%.1f s", s.boot_seconds);
        t.add({s.name, to_string(s.state), std::to_string(s.pid), "127.0.0.1:" + std::to_string(s.ssh_port),
               uptime_text(s.qemu_uptime_s), s.board_uptime_s ? uptime_text(*s.board_uptime_s) : "-",
               s.kernel_release, boot});
    }
    ctx.console.result(t.render());
    ctx.console.result("state: " + s.state_dir.string());
    // `sim status` answers "is it up?" for scripts: 0 up or booting, 3 down (like `systemctl is-active`).
    return s.state == SimState::Down ? 3 : 0;
}

volatile std::sig_atomic_t g_interrupted = 0;

int sim_console(Context& ctx, const SimOptions& o) {
    LocalProcessRunner runner;
    auto board = make_board(ctx, o, runner);
    const auto file = board.console_log();
    if (!std::filesystem::exists(file)) throw_infra(file.string() + ": no console log (was the board ever up?)");
    std::fputs(tail_lines(file, o.lines).c_str(), stdout);
    std::fflush(stdout);
    if (o.no_follow) return 0;
    std::signal(SIGINT, [](int) { g_interrupted = 1; });
    std::ifstream in(file, std::ios::binary);
    in.seekg(0, std::ios::end);
    int idle_checks = 0;
    while (!g_interrupted) {
        std::string chunk(4096, '\0');
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto n = in.gcount();
        in.clear();
        if (n > 0) {
            std::fwrite(chunk.data(), 1, static_cast<std::size_t>(n), stdout);
            std::fflush(stdout);
            continue;
        }
        // Stop following once the board is down for good.
        if (++idle_checks % 10 == 0 && board.status().state == SimState::Down) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return 0;
}

QmpClient connect_qmp(SimBoard& board) {
    auto qmp = QmpClient::connect(board.qmp_socket());
    if (!qmp) throw_infra("board " + board.name() + " not reachable: " + qmp.error().describe());
    return std::move(qmp.value());
}

int sim_link(Context& ctx, const SimOptions& o) {
    LocalProcessRunner runner;
    auto board = make_board(ctx, o, runner);
    if (o.link != "mgmt" && o.link != "data") throw_usage("link " + printable(o.link) + ": expected mgmt or data");
    if (o.link_state != "up" && o.link_state != "down")
        throw_usage("link state " + printable(o.link_state) + ": expected up or down");
    auto qmp = connect_qmp(board);
    if (auto r = qmp.set_link(o.link, o.link_state == "up"); !r) throw_infra(r.error().describe());
    ctx.console.result("board " + board.name() + ": " + (o.link == "mgmt" ? "management (enu1)" : "data (wphy0)") +
                       " link " + o.link_state);
    return 0;
}

int sim_freeze(Context& ctx, const SimOptions& o, bool freeze) {
    LocalProcessRunner runner;
    auto board = make_board(ctx, o, runner);
    auto qmp = connect_qmp(board);
    if (auto r = freeze ? qmp.stop() : qmp.cont(); !r) throw_infra(r.error().describe());
    ctx.console.result("board " + board.name() + (freeze ? " frozen" : " running again"));
    return 0;
}

std::string hex64(std::uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

// The emulator's view of each vCPU (sim/vcpu_dump.hpp): for a board that no
// longer answers, where its CPUs are stuck.
int sim_cpus(Context& ctx, const SimOptions& o) {
    LocalProcessRunner runner;
    auto board = make_board(ctx, o, runner);
    auto qmp = connect_qmp(board);
    auto hmp = [&](const std::string& command) {
        auto r = qmp.execute("human-monitor-command", {{"command-line", command}});
        if (!r) throw_infra(r.error().describe());
        return r->is_string() ? r->get<std::string>() : std::string();
    };
    const auto symbols = KernelSymbols::load(board.kallsyms_file());
    const auto name = [&](std::uint64_t a) {
        const auto n = symbols.name(a);
        return n ? *n : std::string("?");
    };
    const auto cpus = parse_info_registers(hmp("info registers -a"));
    if (cpus.empty()) throw_infra("board " + board.name() + ": QEMU reported no vCPU registers");
    ctx.console.result("board " + board.name() + ": " + std::to_string(cpus.size()) + " vCPU(s); symbols from " +
                       (symbols.empty() ? std::string("nowhere (no kallsyms saved at boot)")
                                        : board.kallsyms_file().string()));
    for (const auto& c : cpus) {
        ctx.console.result("CPU#" + std::to_string(c.index) + ": " + (c.cpl == 0 ? "kernel" : "user space") +
                           (c.halted ? ", halted (idle)" : ", running") +
                           (c.interrupts_enabled() ? ", interrupts on" : ", INTERRUPTS OFF") + ", RIP " +
                           hex64(c.rip) + (c.cpl == 0 ? " " + name(c.rip) : std::string()) + ", RSP " + hex64(c.rsp));
        if (c.cpl != 0) continue;
        // Kernel text words on the stack, most recent first: a rough backtrace.
        int shown = 0;
        for (const auto w : parse_memory_words(hmp("x /" + std::to_string(o.stack_words) + "gx 0x" + hex64(c.rsp)))) {
            if (w < 0xffffffff80000000ULL) continue;
            const auto n = symbols.name(w);
            if (!n && !symbols.empty()) continue;
            ctx.console.result("    " + hex64(w) + " " + (n ? *n : std::string("?")));
            if (++shown >= 40) break;
        }
    }
    return 0;
}

}  // namespace

void add_sim_commands(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<SimOptions>();
    auto* sim = app.add_subcommand("sim", "The simulated board: QEMU \"ohm\" with enu1, wphy0/wlan0 and a power switch");
    sim->require_subcommand(1);
    const auto name_option = [&](CLI::App* cmd) {
        cmd->add_option("--name", opts->name, "Board name (default: board.sim_name of the config, else ohm)");
    };

    auto* up = sim->add_subcommand("up", "Boot a board and wait until SSH answers; print boot-to-SSH time");
    name_option(up);
    up->add_option("--boot-timeout", opts->boot_timeout_s, "Seconds to wait for SSH (default: timeouts.boot_s)");
    up->add_option("--memory", opts->memory, "Guest memory (QEMU -m)")->capture_default_str();
    up->add_option("--port", opts->port, "SSH port on 127.0.0.1 (default: the first free from 10022)");
    up->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return sim_up(ctx, *opts); }; });

    auto* down = sim->add_subcommand("down", "Stop a board: QMP quit, SIGKILL after 10 s");
    name_option(down);
    down->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return sim_down(ctx, *opts); }; });

    auto* status = sim->add_subcommand("status", "running/booting/down, PID, ports, uptime, kernel (exit 3 when down)");
    name_option(status);
    status->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return sim_status(ctx, *opts); }; });

    auto* console = sim->add_subcommand("console", "Print and follow the board's serial console log");
    name_option(console);
    console->add_option("-n,--lines", opts->lines, "Lines of history to print first")->capture_default_str();
    console->add_flag("--no-follow", opts->no_follow, "Print and exit");
    console->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return sim_console(ctx, *opts); }; });

    auto* link = sim->add_subcommand("link", "Fault lever: cut or restore a link (QMP set_link)");
    name_option(link);
    link->add_option("which", opts->link, "mgmt (enu1) or data (wphy0, under wlan0)")->required();
    link->add_option("state", opts->link_state, "up or down")->required();
    link->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return sim_link(ctx, *opts); }; });

    auto* freeze = sim->add_subcommand("freeze", "Fault lever: freeze the whole board (QMP stop)");
    name_option(freeze);
    freeze->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return sim_freeze(ctx, *opts, true); }; });
    auto* cpus = sim->add_subcommand(
        "cpus", "Each vCPU as QEMU sees it (halted?, interrupts?, RIP) and the kernel text on its stack, named "
                "from the kallsyms saved at boot: where a board that no longer answers is stuck");
    name_option(cpus);
    cpus->add_option("--stack-words", opts->stack_words, "Stack words read per vCPU")
        ->check(CLI::Range(1, 4096))
        ->capture_default_str();
    cpus->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return sim_cpus(ctx, *opts); }; });
    auto* thaw = sim->add_subcommand("thaw", "Undo freeze (QMP cont)");
    name_option(thaw);
    thaw->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return sim_freeze(ctx, *opts, false); }; });
}

}  // namespace besrig
