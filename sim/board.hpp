// One simulated board "ohm" (BRIEF §8, issue 4): QEMU booting Debian's kernel
// with a busybox initramfs, the host root over 9p, sshd on enu1. Everything
// about one board lives in its state directory, so any besrig process can
// find, inspect and stop it by name.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/qemu_command.hpp"
#include "util/process.hpp"

namespace besrig {

enum class SimState { Down, Booting, Running };
std::string to_string(SimState state);

struct SimStatus {
    std::string name;
    std::filesystem::path state_dir;
    SimState state = SimState::Down;
    pid_t pid = -1;
    int ssh_port = 0;
    std::string qmp_socket;
    double qemu_uptime_s = 0;               // since QEMU started (power-on of this session)
    std::optional<double> board_uptime_s;   // the board's /proc/uptime, when SSH answers
    std::string kernel_release;
    double boot_seconds = 0;                // boot to SSH at the last `sim up`
    bool stale_pid_file = false;            // a PID file whose process is gone (removed)
    nlohmann::json to_json() const;
};

struct SimUpOptions {
    std::chrono::seconds boot_timeout{120};
    std::string memory = k_sim_default_memory;
    int cpus = 2;
    int first_port = 10022;   // first SSH port tried; the next free one is taken
    std::optional<int> ssh_port;  // exactly this port (fail if taken)
};

struct SimUpResult {
    double boot_seconds = 0;
    int ssh_port = 0;
    pid_t pid = -1;
    std::string kernel_release;
    std::filesystem::path rig_config;
    std::string ssh_command;
};

class SimBoard {
public:
    SimBoard(std::string name, std::filesystem::path state_dir, ProcessRunner& runner)
        : name_(std::move(name)), dir_(std::move(state_dir)), runner_(runner) {}

    // Boots and returns once SSH answers with the board's own host key. Throws
    // Error(Infra): missing prerequisites (naming the Debian package), board
    // already running, QEMU failing to start, or no SSH by the deadline (with
    // the last 30 console lines; nothing is left running).
    SimUpResult up(const SimUpOptions& options, const std::function<void(const std::string&)>& progress);
    // QMP quit, then SIGKILL after `deadline`. Returns false when it was not running.
    bool down(std::chrono::milliseconds deadline = std::chrono::seconds(10));
    SimStatus status();

    // An OpenSSH client command line that logs into the board (strict host key checking).
    std::vector<std::string> ssh_argv(const std::vector<std::string>& remote_command) const;

    const std::string& name() const { return name_; }
    const std::filesystem::path& state_dir() const { return dir_; }
    std::filesystem::path console_log() const { return dir_ / "console.log"; }
    std::filesystem::path qmp_socket() const { return dir_ / "qmp.sock"; }
    std::filesystem::path rig_config() const { return dir_ / "rig.json"; }
    // /proc/kallsyms of the board's kernel, saved at boot (see sim/vcpu_dump.hpp).
    std::filesystem::path kallsyms_file() const { return dir_ / "kallsyms"; }

private:
    std::optional<pid_t> live_pid();  // the board's QEMU, verified (not a reused PID)
    void prepare_keys();
    std::filesystem::path build_initramfs(const std::string& release);
    pid_t start_qemu(const SimUpOptions& options, const std::string& release, const std::filesystem::path& initrd,
                     int& port);
    bool wait_for_ssh(pid_t pid, std::chrono::steady_clock::time_point deadline, std::string& release_seen);
    void write_rig_config(int port, const std::string& release);
    void save_kallsyms();
    void kill_now(pid_t pid);
    void forget_process();

    std::string name_;
    std::filesystem::path dir_;
    ProcessRunner& runner_;
};

// The kernel the board boots: $BESRIG_SIM_KERNEL_RELEASE, else the newest
// /boot/vmlinuz-* with a /lib/modules directory. Throws naming linux-image-amd64.
std::string sim_kernel_release();
// Throws Error(Infra) naming the Debian package for the first missing tool.
void check_sim_prerequisites();
// The last `n` lines of a text file ("" when unreadable).
std::string tail_lines(const std::filesystem::path& file, std::size_t n);
// True when sshd's greeting arrives on 127.0.0.1:port within `timeout`.
bool ssh_banner_answers(int port, std::chrono::milliseconds timeout);
// True when nothing listens on 127.0.0.1:port (a bind test).
bool local_port_free(int port);

}  // namespace besrig
