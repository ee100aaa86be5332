#include "sim/board.hpp"

#include <csignal>
#include <fstream>
#include <thread>

#include "rig/power/qmp.hpp"
#include "sim/qemu_command.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/strings.hpp"
#include "util/terminal.hpp"

namespace besrig {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. With
// the command line it tells our QEMU from a process that reused its PID.
std::optional<unsigned long long> process_start_ticks(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(in, stat)) return std::nullopt;
    const auto close = stat.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    const auto fields = split(stat.substr(close + 2), ' ');  // fields from 3 (state) on
    if (fields.size() < 20) return std::nullopt;
    const auto v = parse_int(fields[19]);
    if (!v) return std::nullopt;
    return static_cast<unsigned long long>(*v);
}

std::string process_cmdline(pid_t pid) {
    std::string s;
    try {
        s = read_file("/proc/" + std::to_string(pid) + "/cmdline");
    } catch (const Error&) {
        return {};
    }
    for (auto& c : s)
        if (c == '\0') c = ' ';
    return s;
}

double process_uptime_s(pid_t pid) {
    const auto ticks = process_start_ticks(pid);
    std::ifstream in("/proc/uptime");
    double host_uptime = 0;
    in >> host_uptime;
    if (!ticks) return 0;
    return host_uptime - static_cast<double>(*ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

nlohmann::json read_json_or_empty(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return nlohmann::json::object();
    auto j = nlohmann::json::parse(in, nullptr, false);
    return j.is_object() ? j : nlohmann::json::object();
}

std::string seconds_text(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", s);
    return buf;
}

}  // namespace

std::string to_string(SimState state) {
    switch (state) {
    case SimState::Down: return "down";
    case SimState::Booting: return "booting";
    case SimState::Running: return "running";
    }
    return "unknown";
}

nlohmann::json SimStatus::to_json() const {
    nlohmann::json j{{"name", name},
                     {"state", to_string(state)},
                     {"state_dir", state_dir.string()},
                     {"stale_pid_file", stale_pid_file}};
    if (state != SimState::Down) {
        j["pid"] = pid;
        j["ssh_port"] = ssh_port;
        j["qmp_socket"] = qmp_socket;
        j["qemu_uptime_s"] = qemu_uptime_s;
        j["kernel_release"] = kernel_release;
        j["boot_seconds"] = boot_seconds;
        j["board_uptime_s"] = board_uptime_s ? nlohmann::json(*board_uptime_s) : nlohmann::json(nullptr);
    }
    return j;
}

std::vector<std::string> SimBoard::ssh_argv(const std::vector<std::string>& remote_command) const {
    const auto record = read_json_or_empty(dir_ / "board.json");
    std::vector<std::string> argv{"ssh",
                                  "-F", "/dev/null",
                                  "-i", (dir_ / "id_ed25519").string(),
                                  "-o", "IdentitiesOnly=yes",
                                  "-o", "UserKnownHostsFile=" + (dir_ / "known_hosts").string(),
                                  "-o", "GlobalKnownHostsFile=/dev/null",
                                  "-o", "StrictHostKeyChecking=yes",
                                  "-o", "BatchMode=yes",
                                  "-o", "ConnectTimeout=5",
                                  "-o", "LogLevel=ERROR",
                                  "-p", std::to_string(record.value("ssh_port", 0)),
                                  "root@127.0.0.1"};
    argv.insert(argv.end(), remote_command.begin(), remote_command.end());
    return argv;
}

std::optional<pid_t> SimBoard::live_pid() {
    const auto record = read_json_or_empty(dir_ / "board.json");
    const pid_t pid = record.value("pid", -1);
    if (pid <= 0) return std::nullopt;
    const auto ticks = process_start_ticks(pid);
    if (!ticks || *ticks != record.value("pid_start_ticks", 0ULL)) return std::nullopt;
    if (process_cmdline(pid).find(dir_.string()) == std::string::npos) return std::nullopt;
    return pid;
}

void SimBoard::forget_process() {
    std::error_code ec;
    for (const char* f : {"board.json", "qemu.pid", "qmp.sock"}) std::filesystem::remove(dir_ / f, ec);
}

void SimBoard::kill_now(pid_t pid) {
    if (auto qmp = QmpClient::connect(qmp_socket(), seconds(2))) (void)qmp->quit();
    const auto deadline = Clock::now() + seconds(5);
    while (process_alive(pid) && Clock::now() < deadline) std::this_thread::sleep_for(milliseconds(100));
    if (process_alive(pid)) ::kill(pid, SIGKILL);
    forget_process();
}

bool SimBoard::down(milliseconds deadline) {
    const auto pid = live_pid();
    if (!pid) {
        forget_process();
        return false;
    }
    if (auto qmp = QmpClient::connect(qmp_socket(), seconds(3))) (void)qmp->quit();
    const auto until = Clock::now() + deadline;
    while (process_alive(*pid) && Clock::now() < until) std::this_thread::sleep_for(milliseconds(100));
    if (process_alive(*pid)) {
        ::kill(*pid, SIGKILL);
        const auto reap = Clock::now() + seconds(5);
        while (process_alive(*pid) && Clock::now() < reap) std::this_thread::sleep_for(milliseconds(50));
    }
    forget_process();
    return true;
}

SimStatus SimBoard::status() {
    SimStatus s;
    s.name = name_;
    s.state_dir = dir_;
    const auto record = read_json_or_empty(dir_ / "board.json");
    const auto pid = live_pid();
    if (!pid) {
        s.stale_pid_file = record.contains("pid");
        if (s.stale_pid_file) forget_process();
        return s;
    }
    s.pid = *pid;
    s.ssh_port = record.value("ssh_port", 0);
    s.qmp_socket = qmp_socket().string();
    s.kernel_release = record.value("kernel_release", "");
    s.boot_seconds = record.value("boot_seconds", 0.0);
    s.qemu_uptime_s = process_uptime_s(*pid);
    s.state = SimState::Booting;
    // Generous deadlines: under TCG on a busy host sshd's per-connection re-exec takes seconds.
    if (ssh_banner_answers(s.ssh_port, seconds(10))) {
        const auto r = runner_.run(ProcessSpec{ssh_argv({"cat", "/proc/uptime"}), std::nullopt, {}, seconds(30), {}});
        if (r.success()) {
            s.state = SimState::Running;
            s.board_uptime_s = parse_double(split(std::string(trim(r.out)), ' ').front());
        }
    }
    return s;
}

void SimBoard::prepare_keys() {
    std::filesystem::create_directories(dir_ / "board");
    std::filesystem::create_directories(dir_ / "disk");
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
    const auto keygen = [&](const std::filesystem::path& key, const std::string& comment) {
        if (std::filesystem::exists(key)) return;
        const auto r = runner_.run(ProcessSpec{{"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f",
                                                key.string()},
                                               std::nullopt, {}, seconds(30), {}});
        if (!r.success()) throw_infra("ssh-keygen for " + key.string() + ": " + r.describe() + ": " + r.err);
    };
    // The controller's key, and the board's own host key: never the host's /etc/ssh keys.
    keygen(dir_ / "id_ed25519", "besrig-controller@" + name_);
    keygen(dir_ / "board" / "ssh_host_ed25519_key", "besrig-sim-" + name_ + "-host-key");
    write_file_atomic(dir_ / "board" / "authorized_keys", read_file(dir_ / "id_ed25519.pub"));
    write_file_atomic(dir_ / "board" / "board.env",
                      std::string("BOARD_HOSTNAME=ohm\n") + "MGMT_MAC=" + k_sim_mgmt_mac + "\n" +
                          "DATA_MAC=" + k_sim_data_mac + "\n" + "MGMT_ADDR=" + k_sim_mgmt_address + "/24\n" +
                          "MGMT_GW=10.0.2.2\n" + "WLAN_ADDR=" + k_sim_wlan_address + "/24\n" +
                          "AUTOLOAD_MODULE=bes2600\n" + "AUTOLOAD_PARAMS=lower=wphy0\n");
}

std::filesystem::path SimBoard::build_initramfs(const std::string& release) {
    const auto script = besrig_data_dir() / "sim" / "mkinitramfs.sh";
    const auto out = dir_ / "initramfs.cpio.gz";
    const auto r = runner_.run(ProcessSpec{{"sh", script.string(), out.string(), release}, std::nullopt, {},
                                           seconds(120), {}});
    if (!r.success()) throw_infra(script.string() + ": " + r.describe() + ": " + std::string(trim(r.err)));
    return out;
}

pid_t SimBoard::start_qemu(const SimUpOptions& options, const std::string& release,
                           const std::filesystem::path& initrd, int& port) {
    QemuSpec spec;
    spec.name = name_;
    spec.state_dir = dir_;
    spec.kernel = "/boot/vmlinuz-" + release;
    spec.initrd = initrd;
    spec.memory = options.memory;
    spec.cpus = options.cpus;
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (options.ssh_port) {
            port = *options.ssh_port;
            if (!local_port_free(port))
                throw_infra("SSH port 127.0.0.1:" + std::to_string(port) + " is in use; choose another with --port");
        } else {
            port = attempt == 0 ? options.first_port : port + 1;
            while (!local_port_free(port) && port < 65535) ++port;
        }
        spec.ssh_port = port;
        std::ofstream(console_log(), std::ios::trunc).flush();
        const auto r = runner_.run(ProcessSpec{qemu_argv(spec), dir_, {}, seconds(60), {}});
        if (r.success()) {
            const auto pid_text = std::string(trim(read_file(dir_ / "qemu.pid")));
            const auto pid = parse_int(pid_text);
            if (!pid) throw_infra((dir_ / "qemu.pid").string() + ": not a PID: " + printable(pid_text));
            return static_cast<pid_t>(*pid);
        }
        // Another process took the port between our check and QEMU's bind: try the next.
        const bool port_race = r.err.find("host forwarding") != std::string::npos;
        if (!port_race || options.ssh_port)
            throw_infra("qemu-system-x86_64 failed to start (" + r.describe() + "): " + std::string(trim(r.err)));
    }
    throw_infra("no free SSH port for the board from " + std::to_string(options.first_port));
}

bool SimBoard::wait_for_ssh(pid_t pid, Clock::time_point deadline, std::string& release_seen) {
    const auto record = read_json_or_empty(dir_ / "board.json");
    const int port = record.value("ssh_port", 0);
    while (Clock::now() < deadline) {
        if (!process_alive(pid)) return false;
        if (ssh_banner_answers(port, seconds(5))) {
            const auto r = runner_.run(ProcessSpec{ssh_argv({"uname", "-r"}), std::nullopt, {}, seconds(20), {}});
            if (r.success()) {
                release_seen = std::string(trim(r.out));
                return true;
            }
        }
        std::this_thread::sleep_for(milliseconds(200));
    }
    return false;
}

void SimBoard::save_kallsyms() {
    // Best effort, after boot_seconds is taken: `besrig sim cpus` names the
    // addresses of a board that no longer answers with this snapshot.
    const auto r = runner_.run(ProcessSpec{ssh_argv({"cat", "/proc/kallsyms"}), std::nullopt, {}, seconds(60), {}});
    std::error_code ec;
    if (r.success() && !r.out.empty()) write_file_atomic(kallsyms_file(), r.out);
    else std::filesystem::remove(kallsyms_file(), ec);
}

void SimBoard::write_rig_config(int port, const std::string& release) {
    // "[127.0.0.1]:PORT ssh-ed25519 AAAA..." — the board's own key, nothing else.
    const auto host_key = split(std::string(trim(read_file(dir_ / "board" / "ssh_host_ed25519_key.pub"))), ' ');
    if (host_key.size() < 2) throw_infra((dir_ / "board" / "ssh_host_ed25519_key.pub").string() + ": not a public key");
    write_file_atomic(dir_ / "known_hosts",
                      "[127.0.0.1]:" + std::to_string(port) + " " + host_key[0] + " " + host_key[1] + "\n");
    const nlohmann::json layer{
        {"board",
         {{"kind", "sim"},
          {"sim_name", name_},
          {"kernel_release", release},
          {"mgmt",
           {{"host", "127.0.0.1"},
            {"port", port},
            {"user", "root"},
            {"identity_file", (dir_ / "id_ed25519").string()},
            {"known_hosts", (dir_ / "known_hosts").string()},
            {"host_key_policy", "strict"}}},
          {"data", {{"interface", "wlan0"}, {"address_source", "interface"}}}}},
        {"iperf3", {{"server_bind", "127.0.0.1"}, {"server_address", k_sim_controller_address}}},
        {"power", {{"kind", "qmp"}, {"qmp_socket", qmp_socket().string()}}},
        // An emulated board on a busy 2-core host can take well over 10 s to
        // send its SSH banner (TCG vCPUs starve QEMU's user-net loop); a
        // user's own rig.json still overrides this layer.
        {"timeouts", {{"connect_s", 30.0}}},
    };
    write_file_atomic(rig_config(),
                      "// Written by `besrig sim up` for board " + name_ + "; rewritten at every boot.\n" +
                          layer.dump(2) + "\n");
}

SimUpResult SimBoard::up(const SimUpOptions& options, const std::function<void(const std::string&)>& progress) {
    check_sim_prerequisites();
    std::filesystem::create_directories(dir_);
    if (const auto pid = live_pid())
        throw_infra("board " + name_ + " is already running (pid " + std::to_string(*pid) + ", state " +
                    dir_.string() + "); `besrig sim down --name " + name_ + "` first");
    forget_process();

    const std::string release = sim_kernel_release();
    progress("building the initramfs for " + release);
    const auto initrd = build_initramfs(release);
    prepare_keys();

    progress("starting QEMU");
    const auto t0 = Clock::now();
    int port = 0;
    const pid_t pid = start_qemu(options, release, initrd, port);
    const auto ticks = process_start_ticks(pid);
    write_file_atomic(dir_ / "board.json", nlohmann::json{{"name", name_},
                                                           {"pid", pid},
                                                           {"pid_start_ticks", ticks ? *ticks : 0ULL},
                                                           {"ssh_port", port},
                                                           {"kernel_release", release},
                                                           {"started_at", unix_now()}}
                                                   .dump(2));
    write_rig_config(port, release);

    progress("booting (serial console: " + console_log().string() + ")");
    std::string release_seen;
    if (!wait_for_ssh(pid, t0 + options.boot_timeout, release_seen)) {
        const bool died = !process_alive(pid);
        const auto console = tail_lines(console_log(), 30);
        kill_now(pid);
        throw_infra(std::string(died ? "QEMU exited during boot" : "the board did not answer SSH within " +
                                                                       seconds_text(static_cast<double>(
                                                                           options.boot_timeout.count()))) +
                    " (nothing left running); last console lines of " + console_log().string() + ":\n" + console);
    }
    SimUpResult result;
    result.boot_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    result.ssh_port = port;
    result.pid = pid;
    result.kernel_release = release_seen;
    result.rig_config = rig_config();
    result.ssh_command = shell_join(ssh_argv({}));
    save_kallsyms();
    auto record = read_json_or_empty(dir_ / "board.json");
    record["boot_seconds"] = result.boot_seconds;
    write_file_atomic(dir_ / "board.json", record.dump(2));
    return result;
}

}  // namespace besrig
