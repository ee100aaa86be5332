// The QEMU command line of a simulated board, as a pure function of its spec
// (unit-tested without QEMU). Netdev ids "mgmt" and "data" are what QMP
// set_link names; the MACs are how the board names its NICs enu1 and wphy0.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace besrig {

inline constexpr const char* k_sim_mgmt_netdev = "mgmt";
inline constexpr const char* k_sim_data_netdev = "data";
inline constexpr const char* k_sim_mgmt_mac = "52:54:00:be:51:01";
inline constexpr const char* k_sim_data_mac = "52:54:00:be:51:02";
inline constexpr const char* k_sim_mgmt_address = "10.0.2.15";
inline constexpr const char* k_sim_wlan_address = "10.0.3.15";
inline constexpr const char* k_sim_controller_address = "10.0.3.2";  // the host, as the board sees it
// Guest memory (QEMU -m) unless `sim up --memory` says otherwise: the one
// place the default lives (SimUpOptions and the CLI take it from here).
inline constexpr const char* k_sim_default_memory = "1G";

struct QemuSpec {
    std::string qemu = "qemu-system-x86_64";
    std::string name;                  // board name, shown in ps
    std::filesystem::path state_dir;   // console.log, qmp.sock, qemu.pid, board/, disk/
    std::filesystem::path kernel;      // /boot/vmlinuz-<release>
    std::filesystem::path initrd;
    int ssh_port = 0;                  // 127.0.0.1:<ssh_port> -> board enu1:22
    std::string memory = k_sim_default_memory;
    int cpus = 2;
    std::string accel = "tcg";
    std::string extra_append;          // more kernel command line
};

std::vector<std::string> qemu_argv(const QemuSpec& spec);

}  // namespace besrig
