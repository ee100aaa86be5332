#include "sim/qemu_command.hpp"

namespace besrig {

std::vector<std::string> qemu_argv(const QemuSpec& spec) {
    const std::string state = spec.state_dir.string();
    const std::string port = std::to_string(spec.ssh_port);
    // nokaslr: kernel addresses are the same at every boot of a kernel, so a
    // vCPU dump (`besrig sim cpus`) reads against any saved /proc/kallsyms.
    std::string append = "console=ttyS0,115200 loglevel=4 mitigations=off tsc=reliable no_timer_check nokaslr";
    if (!spec.extra_append.empty()) append += " " + spec.extra_append;
    // TCG's translation cache defaults to 1 GiB per board; a quarter is plenty here.
    const std::string accel = spec.accel == "tcg" ? "tcg,tb-size=256" : spec.accel;
    return {
        spec.qemu,
        "-name", spec.name + ",process=besrig-sim-" + spec.name,
        "-accel", accel,
        "-machine", "pc",
        "-cpu", "max",
        "-m", spec.memory,
        "-smp", std::to_string(spec.cpus),
        "-display", "none",
        "-nodefaults",
        "-no-user-config",
        "-chardev", "file,id=console,path=" + state + "/console.log,append=on",
        "-serial", "chardev:console",
        "-qmp", "unix:" + state + "/qmp.sock,server=on,wait=off",
        "-kernel", spec.kernel.string(),
        "-initrd", spec.initrd.string(),
        "-append", append,
        // The host root twice: cached under the overlay (speed), uncached at /host (fresh files).
        "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
        "-virtfs", "local,path=/,mount_tag=hostlive,security_model=none,readonly=on,multidevs=remap",
        "-virtfs", "local,path=" + state + "/board,mount_tag=board,security_model=none,readonly=on",
        "-virtfs", "local,path=" + state + "/disk,mount_tag=disk,security_model=none",
        // Management: only the forwarded SSH port reaches in; the board reaches nothing out.
        "-netdev", std::string("user,id=") + k_sim_mgmt_netdev + ",net=10.0.2.0/24,restrict=on,hostfwd=tcp:127.0.0.1:" +
                       port + "-" + k_sim_mgmt_address + ":22",
        "-device", std::string("virtio-net-pci,netdev=") + k_sim_mgmt_netdev + ",mac=" + k_sim_mgmt_mac,
        // Data: the board reaches the controller (host loopback) at 10.0.3.2; no default route uses it.
        "-netdev", std::string("user,id=") + k_sim_data_netdev + ",net=10.0.3.0/24,host=" + k_sim_controller_address,
        "-device", std::string("virtio-net-pci,netdev=") + k_sim_data_netdev + ",mac=" + k_sim_data_mac,
        "-pidfile", state + "/qemu.pid",
        "-daemonize",
    };
}

}  // namespace besrig
