// Host-side helpers of the simulated board: prerequisites, kernel choice,
// port and SSH banner probes, console tail.
#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <deque>

#include "sim/board.hpp"
#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace besrig {
namespace {

bool is_static_elf(const std::filesystem::path& file) {
    // A dynamically linked ELF names its interpreter (PT_INTERP, "/lib64/ld-linux...").
    std::ifstream in(file, std::ios::binary);
    std::string head(8192, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head.rfind("\x7f" "ELF", 0) == 0 && head.find("ld-linux") == std::string::npos;
}

sockaddr_in loopback(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
}

}  // namespace

std::string sim_kernel_release() {
    if (const char* forced = std::getenv("BESRIG_SIM_KERNEL_RELEASE"); forced && *forced) {
        if (!std::filesystem::exists(std::string("/boot/vmlinuz-") + forced))
            throw_infra(std::string("BESRIG_SIM_KERNEL_RELEASE=") + forced + ": no /boot/vmlinuz-" + forced);
        return forced;
    }
    std::string best;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/boot", ec)) {
        const std::string file = entry.path().filename().string();
        if (file.rfind("vmlinuz-", 0) != 0) continue;
        const std::string release = file.substr(8);
        if (std::filesystem::is_directory("/lib/modules/" + release, ec) && release > best) best = release;
    }
    if (best.empty())
        throw_infra("no kernel for the simulated board: no /boot/vmlinuz-* with /lib/modules/<release> "
                    "(apt-get install linux-image-amd64)");
    return best;
}

void check_sim_prerequisites() {
    struct Tool {
        const char* program;
        const char* package;
    };
    for (const Tool& t : {Tool{"qemu-system-x86_64", "qemu-system-x86"}, Tool{"sshd", "openssh-server"},
                          Tool{"ssh", "openssh-client"}, Tool{"ssh-keygen", "openssh-client"},
                          Tool{"cpio", "cpio"}, Tool{"gzip", "gzip"}}) {
        if (!find_program(t.program))
            throw_infra(std::string(t.program) + " not found: the simulated board needs it (apt-get install " +
                        t.package + ")");
    }
    if (!std::filesystem::exists("/bin/busybox") || !is_static_elf("/bin/busybox"))
        throw_infra("/bin/busybox missing or not statically linked: the simulated board's initramfs needs it "
                    "(apt-get install busybox-static)");
    if (!std::filesystem::exists("/usr/sbin/sshd"))
        throw_infra("/usr/sbin/sshd not found: the board runs the host's sshd (apt-get install openssh-server)");
}

std::string tail_lines(const std::filesystem::path& file, std::size_t n) {
    std::ifstream in(file);
    std::deque<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(std::move(line));
        if (lines.size() > n) lines.pop_front();
    }
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

bool local_port_free(int port) {
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) return false;
    const auto addr = loopback(port);
    return ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
}

bool ssh_banner_answers(int port, std::chrono::milliseconds timeout) {
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) return false;
    const auto addr = loopback(port);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return false;
    // QEMU's forward accepts at once; the greeting only comes when sshd on the board is listening.
    std::string got;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (got.size() < 4) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{fd.get(), POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char buf[64];
        const auto n = ::recv(fd.get(), buf, sizeof buf, 0);
        if (n <= 0) return false;
        got.append(buf, static_cast<std::size_t>(n));
    }
    return got.rfind("SSH-", 0) == 0;
}

}  // namespace besrig
