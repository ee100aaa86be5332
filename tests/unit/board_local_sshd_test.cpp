// The board probes' shell scripts run by a real shell over real SSH (the
// local sshd fixture): what the fake cannot check is whether the scripts
// themselves produce what the parsers expect.
#include <gtest/gtest.h>

#include <fstream>

#include "rig/board/module_identity.hpp"
#include "rig/board/probes.hpp"
#include "rig/ssh/connect_board.hpp"
#include "tests/support/local_sshd.hpp"
#include "util/sha256.hpp"

namespace besrig::board {
namespace {

using namespace std::chrono_literals;

class BoardOverSshTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!sshd_.ok()) GTEST_SKIP() << "no local sshd: " << sshd_.skip_reason();
        sshd_.trust_host_key();
        remote_ = connect_board(sshd_.rig_config(), {});
    }
    test::LocalSshd sshd_;
    std::unique_ptr<Remote> remote_;
};

TEST_F(BoardOverSshTest, ProbesParseARealShell) {
    auto release = kernel_release(*remote_, 20s);
    ASSERT_TRUE(release.ok()) << release.error().describe();
    EXPECT_FALSE(release->empty());
    auto up = uptime_seconds(*remote_, 20s);
    ASSERT_TRUE(up.ok()) << up.error().describe();
    EXPECT_GT(*up, 0);
    auto space = free_space(*remote_, (sshd_.dir() / "not/yet/there.ko").string(), 20s);
    ASSERT_TRUE(space.ok()) << space.error().describe();
    EXPECT_EQ(space->path, sshd_.dir().string());
    EXPECT_GT(space->available_bytes, 0u);
    auto tools = tools_present(*remote_, {"sh", "no-such-tool-besrig"}, 20s);
    ASSERT_TRUE(tools.ok()) << tools.error().describe();
    EXPECT_EQ(tools->missing, std::vector<std::string>{"no-such-tool-besrig"});
    auto lo = link_state(*remote_, "lo", 20s);
    ASSERT_TRUE(lo.ok()) << lo.error().describe();
    EXPECT_TRUE(lo->exists);
    EXPECT_NE(std::find(lo->ipv4.begin(), lo->ipv4.end(), "127.0.0.1/8"), lo->ipv4.end());
    auto none = link_state(*remote_, "nosuchif0", 20s);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->exists);
}

TEST_F(BoardOverSshTest, InstalledModuleFieldsReadOnTheBoard) {
    const auto ko = sshd_.dir() / "fake.ko";
    static const char raw[] = "\x7f" "ELF\0\0license=GPL\0srcversion=0123456789ABCDEF0123456\0vermagic=6.1.0-x SMP\0tail";
    std::ofstream(ko, std::ios::binary).write(raw, sizeof raw - 1);
    auto m = installed_module(*remote_, ko.string(), 20s);
    ASSERT_TRUE(m.ok()) << m.error().describe();
    EXPECT_TRUE(m->present);
    EXPECT_EQ(m->sha256, sha256_file(ko));
    EXPECT_EQ(m->size, sizeof raw - 1);
    EXPECT_EQ(m->srcversion, "0123456789ABCDEF0123456");
    EXPECT_EQ(m->vermagic, "6.1.0-x SMP");
    auto absent = installed_module(*remote_, (sshd_.dir() / "none.ko").string(), 20s);
    ASSERT_TRUE(absent.ok());
    EXPECT_FALSE(absent->present);
    auto running = running_module(*remote_, "besrig_no_such_module", 20s);
    ASSERT_TRUE(running.ok()) << running.error().describe();
    EXPECT_FALSE(running->loaded);
}

}  // namespace
}  // namespace besrig::board
