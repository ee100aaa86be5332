// The simulated board's QEMU command line: what the rig depends on is there.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/qemu_command.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

std::string value_after(const std::vector<std::string>& argv, const std::string& flag, int nth = 0) {
    for (std::size_t i = 0; i + 1 < argv.size(); ++i)
        if (argv[i] == flag && nth-- == 0) return argv[i + 1];
    return "(missing " + flag + ")";
}

QemuSpec spec() {
    QemuSpec s;
    s.name = "ohm";
    s.state_dir = "/state/ohm";
    s.kernel = "/boot/vmlinuz-6.1.0-56-amd64";
    s.initrd = "/state/ohm/initramfs.cpio.gz";
    s.ssh_port = 10023;
    return s;
}

TEST(QemuCommand, ManagementForwardsOnlySshOnLoopback) {
    const auto argv = qemu_argv(spec());
    const auto mgmt = value_after(argv, "-netdev", 0);
    EXPECT_NE(mgmt.find("id=mgmt"), std::string::npos);
    EXPECT_NE(mgmt.find("restrict=on"), std::string::npos);
    EXPECT_NE(mgmt.find("hostfwd=tcp:127.0.0.1:10023-10.0.2.15:22"), std::string::npos);
    const auto data = value_after(argv, "-netdev", 1);
    EXPECT_NE(data.find("id=data"), std::string::npos);
    EXPECT_NE(data.find("net=10.0.3.0/24"), std::string::npos);
    EXPECT_NE(data.find("host=10.0.3.2"), std::string::npos);
    EXPECT_NE(value_after(argv, "-device", 0).find(k_sim_mgmt_mac), std::string::npos);
    EXPECT_NE(value_after(argv, "-device", 1).find(k_sim_data_mac), std::string::npos);
}

TEST(QemuCommand, StateLivesInTheStateDir) {
    const auto argv = qemu_argv(spec());
    EXPECT_EQ(value_after(argv, "-qmp"), "unix:/state/ohm/qmp.sock,server=on,wait=off");
    EXPECT_EQ(value_after(argv, "-pidfile"), "/state/ohm/qemu.pid");
    EXPECT_NE(value_after(argv, "-chardev").find("path=/state/ohm/console.log"), std::string::npos);
    EXPECT_NE(std::find(argv.begin(), argv.end(), "-daemonize"), argv.end());
}

TEST(QemuCommand, HostRootIsReadOnlyAndOnlyTheDiskIsWritable) {
    const auto argv = qemu_argv(spec());
    int writable = 0;
    for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
        if (argv[i] != "-virtfs") continue;
        if (argv[i + 1].find("readonly=on") == std::string::npos) {
            ++writable;
            EXPECT_NE(argv[i + 1].find("path=/state/ohm/disk,mount_tag=disk"), std::string::npos) << argv[i + 1];
        }
    }
    EXPECT_EQ(writable, 1);
}

TEST(QemuCommand, TcgByDefaultWithSerialConsole) {
    const auto argv = qemu_argv(spec());
    EXPECT_EQ(value_after(argv, "-accel").rfind("tcg", 0), 0u);
    EXPECT_NE(value_after(argv, "-append").find("console=ttyS0"), std::string::npos);
    EXPECT_EQ(value_after(argv, "-kernel"), "/boot/vmlinuz-6.1.0-56-amd64");
}

}  // namespace
}  // namespace besrig
