// A real OpenSSH server for tests: /usr/sbin/sshd on 127.0.0.1 on a free
// port, as a child process, with a fresh host key and client key in a
// temporary directory. Tests that need a board to talk SSH to use this instead
// of a fake, so host-key checking, authentication, quoting and SFTP are tested
// against the real thing.
//
//     besrig::test::LocalSshd sshd;
//     if (!sshd.ok()) GTEST_SKIP() << sshd.skip_reason();
//     sshd.trust_host_key();                  // or leave known_hosts empty
//     auto remote = besrig::connect_board(sshd.rig_config(), {});
//
// The server runs as root here (the test machine's user), so the config
// allows root login by key only. sshd needs /run/sshd for privilege
// separation; the fixture creates it. When sshd or ssh-keygen is missing, or
// the server does not come up, ok() is false and skip_reason() says why —
// tests skip loudly, never pass silently.
#pragma once

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <optional>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "config/config.hpp"
#include "util/process.hpp"

namespace besrig::test {

class LocalSshd {
public:
    LocalSshd() {
        if (!std::filesystem::exists(sshd_path())) {
            skip_ = "no OpenSSH server at /usr/sbin/sshd (apt-get install openssh-server)";
            return;
        }
        if (!find_program("ssh-keygen")) {
            skip_ = "no ssh-keygen on PATH (apt-get install openssh-client)";
            return;
        }
        std::string tmpl = (std::filesystem::temp_directory_path() / "besrig-sshd.XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) {
            skip_ = "cannot create a temporary directory";
            return;
        }
        dir_ = tmpl;
        std::error_code ec;
        std::filesystem::create_directories("/run/sshd", ec);  // privilege separation needs it
        if (!keygen(host_key()) || !keygen(client_key())) return;
        std::filesystem::copy_file(client_key().string() + ".pub", dir_ / "authorized_keys", ec);
        std::ofstream(known_hosts()).flush();  // empty: nothing trusted yet
        start();
    }
    ~LocalSshd() {
        server_.terminate(std::chrono::milliseconds(1000));
        std::error_code ec;
        if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
    }
    LocalSshd(const LocalSshd&) = delete;
    LocalSshd& operator=(const LocalSshd&) = delete;

    bool ok() const { return skip_.empty(); }
    const std::string& skip_reason() const { return skip_; }

    int port() const { return port_; }
    pid_t pid() const { return server_.pid(); }
    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path host_key() const { return dir_ / "host_ed25519"; }
    std::filesystem::path client_key() const { return dir_ / "client_ed25519"; }
    std::filesystem::path known_hosts() const { return dir_ / "known_hosts"; }
    std::string log() const { return slurp(dir_ / "sshd.log"); }

    // "[127.0.0.1]:PORT ssh-ed25519 AAAA..." — the line ssh-keyscan would give.
    std::string host_key_line() const {
        std::istringstream pub(slurp(host_key().string() + ".pub"));
        std::string type, blob;
        pub >> type >> blob;
        return "[127.0.0.1]:" + std::to_string(port_) + " " + type + " " + blob + "\n";
    }
    // The host key's SHA256 fingerprint as ssh-keygen -l prints it ("SHA256:...").
    std::string host_key_fingerprint() const {
        LocalProcessRunner runner;
        ProcessSpec spec;
        spec.argv = {"ssh-keygen", "-l", "-E", "sha256", "-f", host_key().string() + ".pub"};
        std::istringstream line(runner.run(spec).out);
        std::string bits, fp;
        line >> bits >> fp;
        return fp;
    }
    void trust_host_key() const { std::ofstream(known_hosts(), std::ios::trunc) << host_key_line(); }

    // The board was "reinstalled": a new host key, same address and port.
    void replace_host_key() {
        server_.terminate(std::chrono::milliseconds(1000));
        std::error_code ec;
        std::filesystem::remove(host_key(), ec);
        std::filesystem::remove(host_key().string() + ".pub", ec);
        if (!keygen(host_key())) return;
        start_on(port_);
    }

    // A config whose management link points here: root, the client key, the
    // fixture's known_hosts, strict policy, short deadlines.
    RigConfig rig_config() const {
        RigConfig c;
        c.board.name = "local-sshd";
        c.board.kind = "real";
        c.board.mgmt.host = "127.0.0.1";
        c.board.mgmt.port = port_;
        c.board.mgmt.user = "root";
        c.board.mgmt.identity_file = client_key().string();
        c.board.mgmt.known_hosts = known_hosts().string();
        c.board.mgmt.host_key_policy = "strict";
        c.timeouts.connect_s = 10;
        c.timeouts.command_s = 20;
        c.timeouts.keepalive_s = 1;
        c.module.name = "bes2600";
        c.module.install_path = "/lib/modules/{release}/extra/{module}.ko";
        return c;
    }

private:
    static std::filesystem::path sshd_path() { return "/usr/sbin/sshd"; }

    static std::string slurp(const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }

    bool keygen(const std::filesystem::path& key) {
        LocalProcessRunner runner;
        ProcessSpec spec;
        spec.argv = {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "besrig-test", "-f", key.string()};
        spec.timeout = std::chrono::seconds(30);
        const auto r = runner.run(spec);
        if (!r.success()) skip_ = "ssh-keygen failed: " + r.describe() + " " + r.err;
        return r.success();
    }

    static int free_port() {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        int port = 0;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&a), len) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
            port = ntohs(a.sin_port);
        ::close(fd);
        return port;
    }

    static bool accepts(int port) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        ::close(fd);
        return ok;
    }

    void start() {
        for (int attempt = 0; attempt < 3; ++attempt) {  // a free port can be taken between probe and bind
            if (start_on(free_port())) return;
        }
    }

    bool start_on(int port) {
        port_ = port;
        const auto cfg = dir_ / "sshd_config";
        std::ofstream(cfg, std::ios::trunc)
            << "ListenAddress 127.0.0.1\n"
            << "Port " << port << "\n"
            << "HostKey " << host_key().string() << "\n"
            << "AuthorizedKeysFile " << (dir_ / "authorized_keys").string() << "\n"
            << "PidFile " << (dir_ / "sshd.pid").string() << "\n"
            << "StrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\n"
            << "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            << "UseDNS no\nPrintMotd no\nLogLevel VERBOSE\n"
            << "Subsystem sftp internal-sftp\n";
        Child::Options o;
        o.stdout_file = dir_ / "sshd.log";
        server_ = Child::spawn({sshd_path().string(), "-D", "-e", "-f", cfg.string()}, o);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (std::chrono::steady_clock::now() < deadline) {
            if (!server_.running()) break;
            if (accepts(port)) {
                skip_.clear();
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        server_.terminate(std::chrono::milliseconds(500));
        skip_ = "sshd did not start on 127.0.0.1:" + std::to_string(port) + ": " + log();
        return false;
    }

    std::filesystem::path dir_;
    std::string skip_;
    int port_ = 0;
    Child server_;
};

}  // namespace besrig::test
