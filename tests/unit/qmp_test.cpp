// QmpClient against a scripted fake QEMU monitor on a unix socket.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>

#include "rig/power/power_switch.hpp"
#include "rig/power/qmp.hpp"
#include "tests/unit/test_support.hpp"
#include "util/unique_fd.hpp"

namespace besrig {
namespace {

using nlohmann::json;

// Accepts one connection, sends the greeting, then answers each request line
// with `reply(request)` (a string of zero or more JSON lines). Records requests.
class FakeMonitor {
public:
    using Reply = std::function<std::string(const json&)>;

    FakeMonitor(const std::filesystem::path& socket, Reply reply) : reply_(std::move(reply)) {
        listener_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, socket.c_str(), sizeof addr.sun_path - 1);
        EXPECT_EQ(::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        EXPECT_EQ(::listen(listener_.get(), 1), 0);
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeMonitor() {
        ::shutdown(listener_.get(), SHUT_RDWR);
        thread_.join();
    }
    std::vector<json> requests;

private:
    void serve() {
        UniqueFd conn(::accept(listener_.get(), nullptr, nullptr));
        if (!conn) return;
        send(conn.get(), R"({"QMP": {"version": {"qemu": {"major": 7}}, "capabilities": ["oob"]}})" "\n");
        std::string buffer;
        char buf[1024];
        for (;;) {
            const auto n = ::recv(conn.get(), buf, sizeof buf, 0);
            if (n <= 0) return;
            buffer.append(buf, static_cast<std::size_t>(n));
            for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n')) {
                const auto request = json::parse(buffer.substr(0, nl));
                buffer.erase(0, nl + 1);
                requests.push_back(request);
                const auto out = reply_(request);
                if (out == "CLOSE") return;
                send(conn.get(), out);
            }
        }
    }
    static void send(int fd, const std::string& s) { (void)::send(fd, s.data(), s.size(), MSG_NOSIGNAL); }

    UniqueFd listener_;
    Reply reply_;
    std::thread thread_;
};

std::string ok() { return "{\"return\": {}}\n"; }

TEST(Qmp, NegotiatesCapabilitiesAndSkipsEvents) {
    test::TempDir dir;
    const auto sock = dir.path() / "qmp.sock";
    FakeMonitor monitor(sock, [](const json& req) {
        if (req["execute"] == "system_reset")
            return std::string(R"({"timestamp": {"seconds": 1}, "event": "RESET", "data": {"guest": false}})" "\n") +
                   ok();
        return ok();
    });
    auto client = QmpClient::connect(sock, std::chrono::seconds(2));
    ASSERT_TRUE(client) << client.error().describe();
    auto r = client->system_reset();
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_TRUE(r->is_object());
    ASSERT_TRUE(client->set_link("mgmt", false));
    ASSERT_GE(monitor.requests.size(), 3u);
    EXPECT_EQ(monitor.requests[0]["execute"], "qmp_capabilities");
    EXPECT_EQ(monitor.requests[1]["execute"], "system_reset");
    EXPECT_EQ(monitor.requests[2]["execute"], "set_link");
    EXPECT_EQ(monitor.requests[2]["arguments"], (json{{"name", "mgmt"}, {"up", false}}));
}

TEST(Qmp, QemuErrorIsRefusedWithItsDescription) {
    test::TempDir dir;
    const auto sock = dir.path() / "qmp.sock";
    FakeMonitor monitor(sock, [](const json& req) {
        if (req["execute"] == "set_link")
            return std::string(R"({"error": {"class": "DeviceNotFound", "desc": "Device 'nope' not found"}})" "\n");
        return ok();
    });
    auto client = QmpClient::connect(sock, std::chrono::seconds(2));
    ASSERT_TRUE(client);
    auto r = client->set_link("nope", true);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, QmpErrorKind::Refused);
    EXPECT_NE(r.error().describe().find("Device 'nope' not found"), std::string::npos);
    EXPECT_NE(r.error().describe().find("set_link"), std::string::npos);
}

TEST(Qmp, SilenceIsATimeoutNotARefusal) {
    test::TempDir dir;
    const auto sock = dir.path() / "qmp.sock";
    FakeMonitor monitor(sock, [](const json& req) { return req["execute"] == "stop" ? std::string() : ok(); });
    auto client = QmpClient::connect(sock, std::chrono::milliseconds(300));
    ASSERT_TRUE(client);
    auto r = client->stop();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, QmpErrorKind::Timeout);
}

TEST(Qmp, ClosedConnectionIsReported) {
    test::TempDir dir;
    const auto sock = dir.path() / "qmp.sock";
    FakeMonitor monitor(sock, [](const json& req) { return req["execute"] == "quit" ? std::string("CLOSE") : ok(); });
    auto client = QmpClient::connect(sock, std::chrono::seconds(2));
    ASSERT_TRUE(client);
    auto r = client->quit();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, QmpErrorKind::Closed);
}

TEST(Qmp, NoSocketIsUnreachable) {
    test::TempDir dir;
    auto client = QmpClient::connect(dir.path() / "absent.sock", std::chrono::milliseconds(200));
    ASSERT_FALSE(client);
    EXPECT_EQ(client.error().kind, QmpErrorKind::Unreachable);
    EXPECT_NE(client.error().describe().find("absent.sock"), std::string::npos);
}

TEST(QmpPowerSwitch, CycleResetsAndThaws) {
    test::TempDir dir;
    const auto sock = dir.path() / "qmp.sock";
    FakeMonitor monitor(sock, [](const json&) { return ok(); });
    QmpPowerSwitch sw(sock.string());
    auto r = sw.cycle();
    ASSERT_TRUE(r) << r.error().describe();
    ASSERT_EQ(monitor.requests.size(), 3u);
    EXPECT_EQ(monitor.requests[1]["execute"], "system_reset");
    EXPECT_EQ(monitor.requests[2]["execute"], "cont");
}

}  // namespace
}  // namespace besrig
