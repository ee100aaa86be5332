#include "config/defaults.hpp"

#include <string>

#include "util/fs.hpp"

namespace besrig {
namespace {

using nlohmann::json;

json step(const std::string& name, const std::string& dir, double rate, int streams, int seconds, int omit) {
    return json{{"name", name}, {"direction", dir}, {"rate_mbytes", rate},
                {"streams", streams}, {"seconds", seconds}, {"omit", omit}};
}

// BRIEF §4 `ramp`: receive and transmit, offered 1, 2, 4 MB/s and unlimited,
// 1 and 4 streams, 30 s each, warm-up omitted.
json ramp_steps() {
    json steps = json::array();
    for (const char* dir : {"rx", "tx"}) {
        for (double rate : {1.0, 2.0, 4.0, 0.0}) {
            for (int streams : {1, 4}) {
                const std::string r = rate == 0 ? "max" : std::to_string(static_cast<int>(rate)) + "M";
                steps.push_back(step(std::string(dir) + "-" + r + "-P" + std::to_string(streams), dir, rate,
                                     streams, 30, 2));
            }
        }
    }
    return steps;
}

// The data and config paths follow the XDG base directories of the
// environment besrig starts in ($XDG_DATA_HOME, else ~/.local/share;
// $XDG_CONFIG_HOME, else ~/.config), as the default rig.json lookup and
// the board lock already do.
json build_defaults() {
    return json{
        {"board",
         {{"name", "ohm"},
          {"kind", "sim"},
          {"sim_name", "ohm"},
          {"kernel_release", ""},
          {"mgmt",
           {{"host", "127.0.0.1"},
            {"port", 22},
            {"user", "root"},
            {"identity_file", "~/.ssh/id_ed25519"},
            {"known_hosts", (xdg_config_home() / "besrig" / "known_hosts").string()},
            {"host_key_policy", "strict"}}},
          {"data", {{"interface", "wlan0"}, {"address_source", "interface"}, {"address", ""}}}}},
        {"iperf3",
         {{"peer", "controller"},
          {"server_bind", "127.0.0.1"},
          {"server_address", "10.0.3.2"},
          {"port", 5201},
          {"board_binary", "iperf3"},
          {"controller_binary", "iperf3"}}},
        {"module",
         {{"name", "bes2600"},
          {"install_path", "/lib/modules/{release}/extra/{module}.ko"},
          {"load_method", "reload"},
          {"params", ""},
          {"unload_hang", "reboot"}}},
        {"driver",
         {{"src", "driver/sim"},
          {"patches_dir", "driver/patches"},
          {"kdir", ""},
          {"arch", ""},
          {"cross_compile", ""},
          {"bundle_dir", (xdg_data_home() / "besrig" / "bundle").string()}}},
        {"forensics", {{"board_dir", "/var/tmp/besrig"}, {"preserve_module", true}}},
        {"rollback", {{"patch", "b"}}},
        {"power",
         {{"kind", "none"}, {"cycle_command", ""}, {"on_command", ""}, {"off_command", ""}, {"qmp_socket", ""}}},
        {"ftrace",
         {{"enabled", true},
          {"tracer", "nop"},
          {"events", json::array({"workqueue:workqueue_execute_start"})},
          {"work_functions", json::array({"sdio_rx_work", "sdio_tx_work", "bes2600_bh_work"})},
          {"buffer_size_kb", 4096}}},
        {"kernel_log",
         {{"extra_patterns", json::array()},
          {"storm", {{"count", 10}, {"window_s", 5.0}}},
          {"netconsole", {{"enabled", false}, {"listen", "127.0.0.1"}, {"port", 6666}}}}},
        {"timeouts",
         {{"connect_s", 10.0},
          {"connect_attempts", 3},
          {"command_s", 30.0},
          {"keepalive_s", 2.0},
          {"load_s", 30.0},
          {"link_up_s", 30.0},
          {"boot_s", 180.0},
          {"forensics_item_s", 15.0},
          {"wedge_s", 3.0},
          {"host_down_s", 45.0}}},
        {"phase7", {{"profile", "besser"}, {"reps", 3}, {"counters", json::array()}}},
        {"profiles",
         {{"besser",
           {{"description", "the developer's protocol: receive at 4 MB/s, 180 s, fresh chip each repetition"},
            {"fresh_chip", "reload"},
            {"uptime_window_s", 780.0},
            {"steps", json::array({step("rx-4M", "rx", 4.0, 1, 180, 2)})}}},
          {"ramp",
           {{"description", "iperf3 ramp: rx and tx, 1/2/4 MB/s and unlimited, 1 and 4 streams, 30 s each"},
            {"fresh_chip", "reload"},
            {"uptime_window_s", 780.0},
            {"steps", ramp_steps()}}}}},
        {"compare", {{"margin_pct", 3.0}, {"noise_band_pct", 1.0}, {"confidence", 0.90}}},
        {"store",
         {{"path", (xdg_data_home() / "besrig" / "besrig.db").string()},
          {"artifacts_dir", (xdg_data_home() / "besrig" / "artifacts").string()}}},
    };
}

}  // namespace

const json& config_defaults() {
    static const json defaults = build_defaults();
    return defaults;
}

bool is_open_map(std::string_view path) {
    return path == "profiles" || path == "kernel_log.extra_patterns";
}

}  // namespace besrig
