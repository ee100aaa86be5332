// rig/netconsole: the UDP listener on loopback (a real socket), the bad
// addresses it refuses, and the datagrams it hands on as RecordReader input.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rig/kmsg/record_reader.hpp"
#include "rig/netconsole/listener.hpp"
#include "util/error.hpp"

namespace besrig {
namespace {

void send_udp(int port, const std::string& payload) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    ASSERT_EQ(::sendto(fd, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&sa), sizeof sa),
              static_cast<ssize_t>(payload.size()));
    ::close(fd);
}

struct Collect : kmsg::RecordSink {
    std::vector<kmsg::LogRecord> records;
    void on_record(const kmsg::LogRecord& r) override { records.push_back(r); }
    void on_gap(const kmsg::SequenceGap&) override {}
};

TEST(NetconsoleListener, ReceivesExtendedAndPlainDatagrams) {
    netconsole::Listener l("127.0.0.1", 0);
    ASSERT_GT(l.port(), 0);
    EXPECT_TRUE(l.drain().empty());
    send_udp(l.port(), "0,812,13000123,-;Kernel panic - not syncing: sysrq triggered crash\n");
    send_udp(l.port(), "[   13.000200] ---[ end Kernel panic - not syncing: sysrq triggered crash ]---\n");
    ASSERT_TRUE(l.wait(2000));
    std::vector<netconsole::Datagram> got;
    for (int i = 0; i < 20 && got.size() < 2; ++i) {
        auto d = l.drain();
        got.insert(got.end(), d.begin(), d.end());
        if (got.size() < 2) l.wait(100);
    }
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].sender.rfind("127.0.0.1:", 0), 0u);
    EXPECT_EQ(l.datagrams(), 2u);

    Collect sink;
    kmsg::RecordReader reader(sink);
    for (const auto& d : got) reader.feed(d.data);
    reader.finish();
    ASSERT_EQ(sink.records.size(), 2u);
    ASSERT_TRUE(sink.records[0].seq.has_value());
    EXPECT_EQ(*sink.records[0].seq, 812u);
    EXPECT_EQ(sink.records[0].text, "Kernel panic - not syncing: sysrq triggered crash");
    EXPECT_FALSE(sink.records[1].seq.has_value());
    ASSERT_TRUE(sink.records[1].time_s.has_value());
    EXPECT_NEAR(*sink.records[1].time_s, 13.0002, 1e-6);
}

TEST(NetconsoleListener, RefusesBadAddressAndTakenPort) {
    try {
        netconsole::Listener l("not-an-ip", 6666);
        FAIL() << "accepted a bad address";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Config);
        EXPECT_NE(std::string(e.what()).find("not-an-ip:6666"), std::string::npos) << e.what();
    }
    netconsole::Listener first("127.0.0.1", 0);
    try {
        netconsole::Listener second("127.0.0.1", first.port());
        FAIL() << "bound a port that is taken";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Infra);
        EXPECT_NE(std::string(e.what()).find("bind"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace besrig
