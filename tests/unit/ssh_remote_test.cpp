// The libssh transport against a real OpenSSH server on 127.0.0.1
// (tests/support/local_sshd.hpp): output and exit status, hostile arguments,
// the distinct error kinds, strict host-key checking, live streaming, SFTP.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <random>
#include <thread>

#include "rig/ssh/connect_board.hpp"
#include "rig/ssh/libssh_error.hpp"
#include "rig/ssh/ssh_handles.hpp"
#include "tests/support/local_sshd.hpp"
#include "tests/unit/test_support.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using namespace std::chrono_literals;

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A listening TCP socket on 127.0.0.1 with a port of the kernel's choosing
// (that speaks no SSH); -1 when it cannot be made.
int loopback_listener(int& port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(fd, 4) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(fd);
        return -1;
    }
    port = ntohs(a.sin_port);
    return fd;
}

class SshRemoteTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!sshd_.ok()) GTEST_SKIP() << "no local sshd: " << sshd_.skip_reason();
        ::unsetenv("SSH_AUTH_SOCK");  // the identity file alone must decide
    }
    std::unique_ptr<Remote> connect_trusted() {
        sshd_.trust_host_key();
        auto r = try_connect_board(sshd_.rig_config(), {});
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().describe()) << "\nsshd log:\n" << sshd_.log();
        return r.ok() ? std::move(r).value() : nullptr;
    }
    RemoteError connect_error(const RigConfig& config, ConnectOptions options = {}) {
        auto r = try_connect_board(config, options);
        EXPECT_FALSE(r.ok()) << "connected, but expected a failure";
        return r.ok() ? RemoteError{} : r.error();
    }

    test::LocalSshd sshd_;
};

TEST_F(SshRemoteTest, RunCollectsOutputAndExitStatus) {
    auto remote = connect_trusted();
    ASSERT_TRUE(remote);
    auto r = remote->run({"sh", "-c", "echo out; echo err >&2; exit 3"}, 20s);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(r->out, "out\n");
    EXPECT_EQ(r->err, "err\n");
    EXPECT_EQ(r->exit_status, 3);
    auto ok = remote->run({"true"}, 20s);
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->exit_status, 0);
    EXPECT_EQ(remote->where(), "root@127.0.0.1:" + std::to_string(sshd_.port()));
}

std::size_t open_descriptors() {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) if (e.is_symlink()) ++n;
    return n;
}

TEST_F(SshRemoteTest, SessionsLeaveNoDescriptorsBehind) {
    sshd_.trust_host_key();
    const auto before = open_descriptors();
    for (int i = 0; i < 3; ++i) {
        auto r = try_connect_board(sshd_.rig_config(), {});
        ASSERT_TRUE(r.ok()) << r.error().describe();
        ASSERT_TRUE((*r)->run({"true"}, 20s).ok());
    }
    auto config = sshd_.rig_config();
    config.board.mgmt.host_key_policy = "strict";
    config.board.mgmt.identity_file = "/nonexistent";
    EXPECT_FALSE(try_connect_board(config, {}).ok());  // a failure after the TCP connect
    EXPECT_EQ(open_descriptors(), before);
}

TEST_F(SshRemoteTest, HostileArgumentsArriveLiterallyAndNothingRuns) {
    auto remote = connect_trusted();
    ASSERT_TRUE(remote);
    const auto pwned = sshd_.dir() / "pwned";
    const std::vector<std::string> hostile = {
        "x'; touch " + pwned.string() + " #",
        "$(touch " + pwned.string() + ")",
        "`touch " + pwned.string() + "`",
        "a\nb; touch " + pwned.string(),
        "\"; touch " + pwned.string() + "; echo \"",
        "--help",
        "",
        "  spaces  and\ttabs ",
        "semi;colon|pipe&amp>redirect<in*glob?[x]~home",
    };
    for (const auto& h : hostile) {
        auto r = remote->run({"printf", "%s", h}, 20s);
        ASSERT_TRUE(r.ok()) << r.error().describe();
        EXPECT_EQ(r->out, h) << "argument " << printable(h);
        auto s = remote->run_script("printf %s \"$1\"", {h}, 20s);
        ASSERT_TRUE(s.ok()) << s.error().describe();
        EXPECT_EQ(s->out, h) << "script argument " << printable(h);
    }
    EXPECT_FALSE(std::filesystem::exists(pwned)) << "a hostile argument was executed";
}

TEST_F(SshRemoteTest, CommandDeadlineIsTimeoutKind) {
    auto remote = connect_trusted();
    ASSERT_TRUE(remote);
    auto r = remote->run({"sleep", "30"}, 300ms);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, RemoteErrorKind::Timeout) << r.error().describe();
    EXPECT_NE(r.error().describe().find("sleep 30"), std::string::npos) << r.error().describe();
    // The session stays usable after a timed-out command.
    auto again = remote->run({"echo", "still here"}, 20s);
    ASSERT_TRUE(again.ok()) << again.error().describe();
    EXPECT_EQ(again->out, "still here\n");
}

TEST_F(SshRemoteTest, ClosedPortIsRefusedKind) {
    auto config = sshd_.rig_config();
    const int listening = config.board.mgmt.port;
    config.board.mgmt.port = listening == 65535 ? 65534 : listening + 1;
    // Nothing listens next door (if something does, this test tells us).
    const auto e = connect_error(config);
    EXPECT_EQ(e.kind, RemoteErrorKind::Refused) << e.describe();
    EXPECT_NE(e.describe().find("127.0.0.1"), std::string::npos) << e.describe();
}

TEST_F(SshRemoteTest, SilentPortIsTimeoutKindNotRefused) {
    // A listener that never speaks SSH: the kernel completes the TCP
    // handshake from the backlog, the banner never comes.
    int port = 0;
    const int fd = loopback_listener(port);
    ASSERT_GE(fd, 0) << "cannot listen on 127.0.0.1";
    auto config = sshd_.rig_config();
    config.board.mgmt.port = port;
    config.timeouts.connect_s = 1;
    config.timeouts.connect_attempts = 2;  // a handshake timeout is retried, then reported with the count
    const auto started = std::chrono::steady_clock::now();
    const auto e = connect_error(config);
    const auto took = std::chrono::steady_clock::now() - started;
    ::close(fd);
    EXPECT_EQ(e.kind, RemoteErrorKind::Timeout) << e.describe();
    EXPECT_NE(e.message.find("timeouts.connect_s"), std::string::npos) << e.describe();
    EXPECT_NE(e.message.find("attempt 2 of 2"), std::string::npos) << e.describe();
    EXPECT_GE(took, std::chrono::milliseconds(1900)) << "the second attempt did not wait its own deadline";
}

TEST_F(SshRemoteTest, HandshakeClosedByTheBoardIsRetriedAsDisconnected) {
    // A listener that accepts and at once closes every connection, as sshd
    // does while it re-executes on SIGHUP (or QEMU's forwarder with no guest
    // port behind it): the kind is Disconnected (a link failure, retried),
    // not a protocol error, and each attempt is counted.
    int port = 0;
    const int fd = loopback_listener(port);
    ASSERT_GE(fd, 0) << "cannot listen on 127.0.0.1";
    std::atomic<int> accepted{0};
    std::thread closer([&] {
        for (int i = 0; i < 2; ++i) {
            const int c = ::accept(fd, nullptr, nullptr);
            if (c < 0) return;
            ++accepted;
            ::close(c);
        }
    });
    auto config = sshd_.rig_config();
    config.board.mgmt.port = port;
    config.timeouts.connect_s = 5;
    config.timeouts.connect_attempts = 2;
    const auto e = connect_error(config);
    ::shutdown(fd, SHUT_RDWR);  // unblocks accept() if an attempt never came
    closer.join();
    ::close(fd);
    EXPECT_EQ(e.kind, RemoteErrorKind::Disconnected) << e.describe();
    EXPECT_NE(e.message.find("closed the connection during the SSH handshake"), std::string::npos) << e.describe();
    EXPECT_NE(e.message.find("attempt 2 of 2"), std::string::npos) << e.describe();
    EXPECT_EQ(accepted.load(), 2);
}

TEST_F(SshRemoteTest, WrongKeyIsAuthKind) {
    sshd_.trust_host_key();
    test::TempDir tmp;
    const auto stranger = tmp.path() / "stranger";
    LocalProcessRunner runner;
    ProcessSpec spec;
    spec.argv = {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.string()};
    ASSERT_TRUE(runner.run(spec).success());
    auto config = sshd_.rig_config();
    config.board.mgmt.identity_file = stranger.string();
    const auto e = connect_error(config);
    EXPECT_EQ(e.kind, RemoteErrorKind::Auth) << e.describe();
    EXPECT_NE(e.message.find("identity_file"), std::string::npos) << e.describe();

    config.board.mgmt.identity_file = (tmp.path() / "missing").string();
    EXPECT_EQ(connect_error(config).kind, RemoteErrorKind::Auth);
}

TEST_F(SshRemoteTest, UnknownHostKeyRefusedThenAcceptedNewThenChangedKeyRefused) {
    auto config = sshd_.rig_config();  // known_hosts is empty
    const auto fingerprint = sshd_.host_key_fingerprint();
    ASSERT_EQ(fingerprint.rfind("SHA256:", 0), 0u) << fingerprint;

    const auto unknown = connect_error(config);
    EXPECT_EQ(unknown.kind, RemoteErrorKind::HostKey) << unknown.describe();
    EXPECT_NE(unknown.message.find(fingerprint), std::string::npos) << unknown.describe();
    EXPECT_NE(unknown.message.find("besrig ssh accept-host-key"), std::string::npos) << unknown.describe();
    EXPECT_EQ(read_text(sshd_.known_hosts()), "") << "strict policy must not record anything";

    // First contact with --accept-new-host-key records the key...
    {
        auto r = try_connect_board(config, ConnectOptions{true});
        ASSERT_TRUE(r.ok()) << r.error().describe();
    }
    EXPECT_NE(read_text(sshd_.known_hosts()).find(std::to_string(sshd_.port())), std::string::npos);
    // ...and strict checking accepts it from then on.
    {
        auto r = try_connect_board(config, {});
        ASSERT_TRUE(r.ok()) << r.error().describe();
    }

    sshd_.replace_host_key();
    ASSERT_TRUE(sshd_.ok()) << sshd_.skip_reason();
    const auto changed_fp = sshd_.host_key_fingerprint();
    ASSERT_NE(changed_fp, fingerprint);
    const auto changed = connect_error(config);
    EXPECT_EQ(changed.kind, RemoteErrorKind::HostKey) << changed.describe();
    EXPECT_NE(changed.message.find("CHANGED"), std::string::npos) << changed.describe();
    EXPECT_NE(changed.message.find(changed_fp), std::string::npos) << changed.describe();
    EXPECT_NE(changed.message.find("ssh-keygen -R"), std::string::npos) << changed.describe();

    config.board.mgmt.host_key_policy = "accept-new";
    const auto still = connect_error(config);
    EXPECT_EQ(still.kind, RemoteErrorKind::HostKey) << "accept-new must never accept a changed key";
    const auto forced = connect_error(sshd_.rig_config(), ConnectOptions{true});
    EXPECT_EQ(forced.kind, RemoteErrorKind::HostKey);
}

TEST_F(SshRemoteTest, StreamDeliversLinesWhileTheCommandRuns) {
    auto remote = connect_trusted();
    ASSERT_TRUE(remote);
    // The command cannot finish until we have seen its first line: if lines
    // were delivered only at the end, this would run into the deadline.
    const auto go = sshd_.dir() / "go";
    const std::string script =
        "echo one; echo warn >&2; while [ ! -e \"$1\" ]; do sleep 0.05; done; echo two; printf three";
    std::vector<std::string> out;
    std::vector<std::string> err;
    StreamOptions o;
    o.on_stdout = [&](const std::string& line) {
        out.push_back(line);
        if (line == "one") std::ofstream(go).flush();
    };
    o.on_stderr = [&](const std::string& line) { err.push_back(line); };
    o.timeout = 20s;
    auto r = remote->stream({"sh", "-c", script, "sh", go.string()}, o);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(*r, 0);
    EXPECT_EQ(out, (std::vector<std::string>{"one", "two", "three"}));
    EXPECT_EQ(err, (std::vector<std::string>{"warn"}));
}

TEST_F(SshRemoteTest, KeepGoingFalseEndsALongCommand) {
    auto remote = connect_trusted();
    ASSERT_TRUE(remote);
    int polls = 0;
    StreamOptions o;
    o.keep_going = [&] { return ++polls < 5; };
    // A duration no other process here uses: the command must be gone from
    // this host (the test sshd's board) soon after the stop, even when the
    // session is root's and sshd refuses to deliver the signal.
    auto r = remote->stream({"sleep", "1003.25"}, o);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(*r, -1);
    EXPECT_GE(polls, 5);
    auto after = remote->run({"echo", "ok"}, 20s);
    ASSERT_TRUE(after.ok()) << after.error().describe();
    bool gone = false;
    for (int i = 0; i < 50 && !gone; ++i) {
        gone = std::system("pgrep -f 'sleep 1003[.]25' >/dev/null") != 0;  // [.]: not this shell's own line
        if (!gone) std::this_thread::sleep_for(100ms);
    }
    EXPECT_TRUE(gone) << "the stopped command still runs on the board";
    (void)std::system("pkill -f 'sleep 1003[.]25'");
}

TEST_F(SshRemoteTest, StreamedCommandKeepsItsExitStatusAndOutput) {
    auto remote = connect_trusted();
    ASSERT_TRUE(remote);
    std::vector<std::string> out;
    StreamOptions o;
    o.on_stdout = [&](const std::string& line) { out.push_back(line); };
    o.timeout = 20s;
    auto r = remote->stream({"sh", "-c", "echo \"$1\"; exit 7", "sh", "a b; $(c)"}, o);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(*r, 7);
    EXPECT_EQ(out, (std::vector<std::string>{"a b; $(c)"}));
}

TEST_F(SshRemoteTest, UploadDownloadRoundTripKeepsEveryByte) {
    auto remote = connect_trusted();
    ASSERT_TRUE(remote);
    test::TempDir tmp;
    const auto local = tmp.path() / "module.ko";
    {
        std::mt19937 rng(7);
        std::string data(2 * 1024 * 1024 + 123, '\0');
        for (auto& c : data) c = static_cast<char>(rng() & 0xff);
        std::ofstream(local, std::ios::binary) << data;
    }
    const auto remote_path = (sshd_.dir() / "uploaded.ko").string();
    std::uint64_t last = 0, total = 0;
    int calls = 0;
    auto up = remote->upload(local, remote_path, [&](std::uint64_t d, std::uint64_t t) { last = d; total = t; ++calls; });
    ASSERT_TRUE(up.ok()) << up.error().describe();
    EXPECT_EQ(last, total);
    EXPECT_EQ(total, std::filesystem::file_size(local));
    EXPECT_GT(calls, 2);
    auto board_sum = remote->run({"sha256sum", remote_path}, 20s);
    ASSERT_TRUE(board_sum.ok());
    EXPECT_EQ(board_sum->out.substr(0, 64), sha256_file(local));

    const auto back = tmp.path() / "back.ko";
    auto down = remote->download(remote_path, back);
    ASSERT_TRUE(down.ok()) << down.error().describe();
    EXPECT_EQ(sha256_file(back), sha256_file(local));

    auto missing = remote->download("/nonexistent/dir/x", tmp.path() / "x");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().kind, RemoteErrorKind::Transfer) << missing.error().describe();
    EXPECT_FALSE(std::filesystem::exists(tmp.path() / "x.part"));
    auto nowhere = remote->upload(local, "/nonexistent/dir/x", {});
    ASSERT_FALSE(nowhere.ok());
    EXPECT_EQ(nowhere.error().kind, RemoteErrorKind::Transfer) << nowhere.error().describe();
}

// Every descendant of `pid` (the per-connection sshd processes).
std::vector<pid_t> descendants(pid_t pid) {
    std::vector<pid_t> out{pid};
    for (std::size_t i = 0; i < out.size(); ++i) {
        for (const auto& e : std::filesystem::directory_iterator("/proc")) {
            const auto name = e.path().filename().string();
            if (!parse_int(name)) continue;
            std::ifstream stat(e.path() / "stat");
            std::string line;
            std::getline(stat, line);
            const auto close = line.rfind(')');
            if (close == std::string::npos) continue;
            std::istringstream rest(line.substr(close + 2));
            char state = 0;
            pid_t ppid = 0;
            rest >> state >> ppid;
            if (ppid == out[i]) out.push_back(static_cast<pid_t>(*parse_int(name)));
        }
    }
    out.erase(out.begin());
    return out;
}

TEST_F(SshRemoteTest, FrozenBoardIsNoticedByKeepalivesAsDisconnected) {
    auto remote = connect_trusted();
    ASSERT_TRUE(remote);
    const auto frozen = descendants(sshd_.pid());
    ASSERT_FALSE(frozen.empty()) << "no per-connection sshd process found";
    StreamOptions o;
    bool stopped = false;
    o.keep_going = [&] {
        if (!stopped) {
            for (pid_t p : frozen) ::kill(p, SIGSTOP);
            stopped = true;
        }
        return true;
    };
    o.timeout = 60s;  // a long deadline: keepalives (1 s) must end it first
    const auto started = std::chrono::steady_clock::now();
    auto r = remote->stream({"sleep", "100"}, o);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    for (pid_t p : frozen) ::kill(p, SIGCONT);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, RemoteErrorKind::Disconnected) << r.error().describe();
    std::printf("dead link noticed after %.1f s (keepalive interval 1 s)\n", secs);
}

// A libssh error with no text adds nothing to a message (it once read
// "cannot open a session channel (libssh: )"); one with text is quoted.
TEST(LibsshDetail, EmptyErrorAddsNothingAndARealOneIsQuoted) {
    ssh::SessionPtr fresh(ssh_new());
    ASSERT_TRUE(fresh);
    EXPECT_EQ(ssh::libssh_detail(fresh.get()), "");
    EXPECT_EQ(ssh::libssh_detail(nullptr), "");
    ssh::SessionPtr s(ssh_new());
    ASSERT_TRUE(s);
    const int port = 1;  // nothing listens on 127.0.0.1:1, so the connect fails with a reason
    const long timeout = 2;
    ssh_options_set(s.get(), SSH_OPTIONS_HOST, "127.0.0.1");
    ssh_options_set(s.get(), SSH_OPTIONS_PORT, &port);
    ssh_options_set(s.get(), SSH_OPTIONS_TIMEOUT, &timeout);
    ASSERT_NE(ssh_connect(s.get()), SSH_OK);
    const auto d = ssh::libssh_detail(s.get());
    EXPECT_TRUE(d.starts_with(" (libssh: ")) << d;
    EXPECT_GT(d.size(), std::string(" (libssh: )").size()) << d;
}

}  // namespace
}  // namespace besrig
