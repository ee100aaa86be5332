// The resolved rig configuration (BRIEF §2): typed, validated, every value's
// origin kept. Built by ConfigLoader (loader.hpp); read by every layer above.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace besrig {

struct MgmtConfig {
    std::string host;
    int port = 22;
    std::string user;
    std::string identity_file;
    std::string known_hosts;
    std::string host_key_policy;  // "strict" | "accept-new"
};

struct DataConfig {
    std::string interface;       // the interface under test on the board, e.g. wlan0
    std::string address_source;  // "interface" (read its IPv4 address) | "static"
    std::string address;         // used when address_source == "static"
};

struct BoardConfig {
    std::string name;
    std::string kind;      // "real" | "sim"
    std::string sim_name;  // which simulated board (state dir name) when kind == "sim"
    std::string kernel_release;  // expected release; empty: ask the board
    MgmtConfig mgmt;
    DataConfig data;
};

struct Iperf3Config {
    std::string peer;            // "controller": run the server here; else a host running one
    std::string server_bind;     // controller address the server listens on
    std::string server_address;  // the server's address as the board sees it
    int port = 5201;
    std::string board_binary;
    std::string controller_binary;
};

struct ModuleConfig {
    std::string name;
    std::string install_path;  // pattern with {release} and {module}
    std::string load_method;   // "reload" | "reboot"
    std::string params;
    // What to do when rmmod outlives timeouts.load_s (the module's exit hangs):
    // "reboot" | "power_cycle" (the configured switch) | "fail".
    std::string unload_hang;
};

struct DriverConfig {
    std::string src;
    std::string patches_dir;
    std::string kdir;
    std::string arch;
    std::string cross_compile;
    std::string bundle_dir;
};

struct ForensicsConfig {
    std::string board_dir;
    bool preserve_module = true;
};

struct PowerConfig {
    std::string kind;  // "none" | "command" | "qmp"
    std::string cycle_command;
    std::string on_command;
    std::string off_command;
    std::string qmp_socket;
};

struct FtraceConfig {
    bool enabled = true;
    std::string tracer;
    std::vector<std::string> events;
    std::vector<std::string> work_functions;
    int buffer_size_kb = 4096;
};

struct LogPattern {
    std::string name;
    std::string regex;
    std::string severity;  // "fail" | "warn" | "info"
};

// netconsole as a second kernel-log channel (docs/netconsole.md): the
// controller listens on listen:port (UDP) during Phase 7.
struct NetconsoleConfig {
    bool enabled = false;
    std::string listen = "127.0.0.1";
    int port = 6666;
};

struct KernelLogConfig {
    std::vector<LogPattern> extra_patterns;
    int storm_count = 10;
    double storm_window_s = 5;
    NetconsoleConfig netconsole;
};

struct TimeoutsConfig {
    double connect_s = 10;
    int connect_attempts = 3;  // handshake timeouts retried; refusals and key/auth errors are not
    double command_s = 30;
    double keepalive_s = 2;
    double load_s = 30;
    double link_up_s = 30;
    double boot_s = 180;
    double forensics_item_s = 15;
    double wedge_s = 3;
    // A management link silent this long (counted from the last traffic
    // sample) is HOST_DOWN; a shorter outage (a cable, a switch, a board
    // frozen for a while) is ridden out and logged.
    double host_down_s = 45;
};

struct StepConfig {
    std::string name;
    std::string direction;  // "rx" (peer -> board) | "tx" (board -> peer)
    double rate_mbytes = 0; // offered rate in MB/s; 0: unlimited
    int streams = 1;
    int seconds = 30;
    int omit = 2;           // warm-up seconds not counted
};

struct ProfileConfig {
    std::string name;
    std::string description;
    std::string fresh_chip;       // "reload" | "reboot" | "none"
    double uptime_window_s = 780; // start each rep before this much board uptime
    std::vector<StepConfig> steps;
};

struct Phase7Config {
    std::string profile;
    int reps = 3;
    std::vector<std::string> counters;  // debugfs/sysfs files snapshotted around each rep
};

struct CompareConfig {
    double margin_pct = 3;
    double noise_band_pct = 1;
    double confidence = 0.90;
};

struct StoreConfig {
    std::string path;
    std::string artifacts_dir;
};

struct RigConfig {
    BoardConfig board;
    Iperf3Config iperf3;
    ModuleConfig module;
    DriverConfig driver;
    ForensicsConfig forensics;
    std::string rollback_patch;
    PowerConfig power;
    FtraceConfig ftrace;
    KernelLogConfig kernel_log;
    TimeoutsConfig timeouts;
    Phase7Config phase7;
    std::map<std::string, ProfileConfig> profiles;
    CompareConfig compare;
    StoreConfig store;

    // Throws Error(Usage) naming the known profiles when `name` is not one.
    const ProfileConfig& profile(const std::string& name) const;
    // The install path with {release} and {module} filled in.
    std::string module_install_path(const std::string& release) const;
};

}  // namespace besrig
