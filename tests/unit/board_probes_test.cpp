// Board probes against a scripted board (gmock Remote): parsing of real
// replies, and garbage or failures mapped to errors that name the command.
#include <gtest/gtest.h>

#include "rig/board/module_build.hpp"
#include "rig/board/module_identity.hpp"
#include "rig/board/probes.hpp"
#include "tests/support/mock_remote.hpp"

namespace besrig::board {
namespace {

using namespace std::chrono_literals;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::NiceMock;
using ::testing::Return;
using test::reply;

class BoardProbesTest : public ::testing::Test {
protected:
    NiceMock<test::MockRemote> remote;
};

TEST_F(BoardProbesTest, KernelReleaseParsed) {
    EXPECT_CALL(remote, run(ElementsAre("uname", "-r"), _)).WillOnce(Return(reply("6.1.0-18-amd64\n")));
    auto r = kernel_release(remote, 1s);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, "6.1.0-18-amd64");
}

TEST_F(BoardProbesTest, KernelReleaseGarbageNamesCommandAndReply) {
    EXPECT_CALL(remote, run(_, _)).WillOnce(Return(reply("\x1b[31mLogin incorrect\n")));
    auto r = kernel_release(remote, 1s);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, RemoteErrorKind::BadReply);
    EXPECT_EQ(r.error().command, "uname -r");
    EXPECT_NE(r.error().message.find("Login incorrect"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find('\x1b'), std::string::npos) << "escape codes must be shown escaped";
}

TEST_F(BoardProbesTest, TransportErrorKindsPassThrough) {
    EXPECT_CALL(remote, run(_, _)).WillOnce(Return(test::transport_error(RemoteErrorKind::Timeout)));
    auto r = uptime_seconds(remote, 1s);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, RemoteErrorKind::Timeout);
}

TEST_F(BoardProbesTest, NonZeroExitCarriesStderr) {
    EXPECT_CALL(remote, run(_, _)).WillOnce(Return(reply("", 1, "cat: /proc/uptime: No such file or directory\n")));
    auto r = uptime_seconds(remote, 1s);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, RemoteErrorKind::NonZeroExit);
    EXPECT_NE(r.error().describe().find("No such file"), std::string::npos) << r.error().describe();
}

TEST_F(BoardProbesTest, Uptime) {
    EXPECT_CALL(remote, run(_, _)).WillOnce(Return(reply("783.25 1490.10\n")));
    auto r = uptime_seconds(remote, 1s);
    ASSERT_TRUE(r.ok());
    EXPECT_DOUBLE_EQ(*r, 783.25);
    EXPECT_CALL(remote, run(_, _)).WillOnce(Return(reply("up 3 days\n")));
    EXPECT_EQ(uptime_seconds(remote, 1s).error().kind, RemoteErrorKind::BadReply);
}

TEST_F(BoardProbesTest, FreeSpaceFromPosixDf) {
    EXPECT_CALL(remote, run_script(_, ElementsAre("/lib/modules/6.1.0/extra/bes2600.ko"), _))
        .WillOnce(Return(reply("path=/lib/modules/6.1.0\nFilesystem 1024-blocks Used Available Capacity Mounted on\n"
                               "overlay 1000 200 800 20% /\n")));
    auto r = free_space(remote, "/lib/modules/6.1.0/extra/bes2600.ko", 1s);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(r->path, "/lib/modules/6.1.0");
    EXPECT_EQ(r->available_bytes, 800u * 1024);
    EXPECT_EQ(r->total_bytes, 1000u * 1024);
    EXPECT_CALL(remote, run_script(_, _, _)).WillOnce(Return(reply("path=/\nFilesystem\ngarbage line\n")));
    auto bad = free_space(remote, "/x", 1s);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().kind, RemoteErrorKind::BadReply);
    EXPECT_NE(bad.error().message.find("garbage line"), std::string::npos);
}

TEST_F(BoardProbesTest, ToolsPresentAndMissing) {
    EXPECT_CALL(remote, run_script(_, ElementsAre("iperf3", "ip", "dmesg"), _))
        .WillOnce(Return(reply("found=iperf3 /usr/bin/iperf3\nmissing=ip\nfound=dmesg /bin/dmesg\n")));
    auto r = tools_present(remote, {"iperf3", "ip", "dmesg"}, 1s);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->missing, std::vector<std::string>{"ip"});
    ASSERT_EQ(r->found.size(), 2u);
    EXPECT_EQ(r->found[0].second, "/usr/bin/iperf3");
}

TEST_F(BoardProbesTest, LinkStateFromSysfsAndIpJson) {
    EXPECT_CALL(remote, run_script(_, ElementsAre("wlan0"), _))
        .WillOnce(Return(reply("exists=1\noperstate=up\ncarrier=1\nip_json=[{\"ifindex\":3,\"ifname\":\"wlan0\","
                               "\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.0.3.15\",\"prefixlen\":24},"
                               "{\"family\":\"inet6\",\"local\":\"fe80::1\",\"prefixlen\":64}]}]\n")));
    auto r = link_state(remote, "wlan0", 1s);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_TRUE(r->up());
    EXPECT_EQ(r->ipv4, std::vector<std::string>{"10.0.3.15/24"});
}

TEST_F(BoardProbesTest, LinkStateAbsentAndGarbageJson) {
    EXPECT_CALL(remote, run_script(_, _, _)).WillOnce(Return(reply("exists=0\n")));
    auto absent = link_state(remote, "wlan0", 1s);
    ASSERT_TRUE(absent.ok());
    EXPECT_FALSE(absent->exists);
    EXPECT_CALL(remote, run_script(_, _, _)).WillOnce(Return(reply("exists=1\noperstate=up\ncarrier=1\nip_json=[{oops\n")));
    auto bad = link_state(remote, "wlan0", 1s);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().kind, RemoteErrorKind::BadReply);
    EXPECT_NE(bad.error().command.find("ip -j"), std::string::npos);
}

TEST_F(BoardProbesTest, HostileInterfaceOrModuleNameNeverReachesTheBoard) {
    EXPECT_CALL(remote, run_script(_, _, _)).Times(0);
    EXPECT_FALSE(link_state(remote, "../../etc", 1s).ok());
    EXPECT_FALSE(running_module(remote, "x'; reboot #", 1s).ok());
}

TEST_F(BoardProbesTest, RunningVersusInstalledIdentity) {
    const std::string sha(64, 'a');
    EXPECT_CALL(remote, run_script(_, ElementsAre("/lib/modules/6.1.0/extra/bes2600.ko"), _))
        .WillOnce(Return(reply("present=1\nsha256=" + sha + "\nsize=4096\nsrcversion=NEWNEWNEW\nvermagic=6.1.0 SMP\n")));
    EXPECT_CALL(remote, run_script(_, ElementsAre("bes2600"), _))
        .WillOnce(Return(reply("loaded=1\nsrcversion=OLDOLDOLD\nversion=1.0\nrefcnt=0\ninitstate=live\ntainted=12288\n")));
    auto id = module_identity(remote, "bes2600", "/lib/modules/6.1.0/extra/bes2600.ko", 1s);
    ASSERT_TRUE(id.ok()) << id.error().describe();
    EXPECT_EQ(id->installed.sha256, sha);
    EXPECT_EQ(id->installed.size, 4096u);
    EXPECT_EQ(id->running.refcount, 0);
    EXPECT_EQ(id->running.tainted, 12288);
    EXPECT_EQ(taint_letters(id->running.tainted), "OE");
    EXPECT_EQ(id->match, IdentityMatch::Differ) << "installed and running are different facts";
}

TEST_F(BoardProbesTest, NotLoadedAndGarbageTaint) {
    EXPECT_CALL(remote, run_script(_, _, _)).WillOnce(Return(reply("loaded=0\ntainted=0\n")));
    auto r = running_module(remote, "bes2600", 1s);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->loaded);
    EXPECT_EQ(compare(InstalledModule{}, *r), IdentityMatch::NotLoaded);
    EXPECT_CALL(remote, run_script(_, _, _)).WillOnce(Return(reply("loaded=1\ninitstate=live\ntainted=lots\n")));
    auto bad = running_module(remote, "bes2600", 1s);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().kind, RemoteErrorKind::BadReply);
    EXPECT_NE(bad.error().describe().find("/proc/sys/kernel/tainted"), std::string::npos);
}

TEST_F(BoardProbesTest, InstalledShaGarbage) {
    EXPECT_CALL(remote, run_script(_, _, _)).WillOnce(Return(reply("present=1\nsha256=not-a-hash\nsize=1\n")));
    auto r = installed_module(remote, "/x.ko", 1s);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, RemoteErrorKind::BadReply);
}

TEST(ModuleBuildTest, ModinfoFieldsFromBytes) {
    static const char raw[] = "\x7f" "ELF junk\0license=GPL\0srcversion=ABC123\0vermagic=6.1.0-18-amd64 SMP\0";
    const std::string bytes(raw, sizeof raw - 1);
    EXPECT_EQ(modinfo_field(bytes, "srcversion"), "ABC123");
    EXPECT_EQ(modinfo_field(bytes, "vermagic"), "6.1.0-18-amd64 SMP");
    EXPECT_EQ(modinfo_field(bytes, "missing"), "");
    ModuleBuild b;
    b.vermagic = "6.1.0-18-amd64 SMP mod_unload";
    EXPECT_EQ(b.kernel_release(), "6.1.0-18-amd64");
}

}  // namespace
}  // namespace besrig::board
