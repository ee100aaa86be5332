// The board lock: the controller's flock refuses a second holder, and the
// board's lock file (over the real local sshd) names the holder, refuses
// another controller, takes over a stale one of this host, and goes away.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <unistd.h>

#include "rig/board/board_lock.hpp"
#include "rig/ssh/connect_board.hpp"
#include "tests/support/local_sshd.hpp"
#include "tests/unit/test_support.hpp"
#include "util/error.hpp"

namespace besrig::board {
namespace {

using ::testing::HasSubstr;

std::string host() {
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    return buf;
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

TEST(BoardLockTest, SecondControllerHolderIsRefusedUntilReleased) {
    test::TempDir state;
    {
        auto first = BoardLock::acquire_local(state.path(), "ohm", "besrig deploy a.ko");
        EXPECT_THAT(slurp(first->local_path()), HasSubstr("command=besrig deploy a.ko"));
        try {
            BoardLock::acquire_local(state.path(), "ohm", "besrig deploy b.ko");
            FAIL() << "two holders of one board";
        } catch (const Error& e) {
            EXPECT_THAT(e.what(), HasSubstr("in use"));
            EXPECT_THAT(e.what(), HasSubstr("besrig deploy a.ko"));
        }
        // Another board is independent.
        EXPECT_NO_THROW(BoardLock::acquire_local(state.path(), "other", "x"));
    }
    EXPECT_NO_THROW(BoardLock::acquire_local(state.path(), "ohm", "besrig deploy b.ko"));
}

class BoardLockOverSshTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!sshd_.ok()) GTEST_SKIP() << "no local sshd: " << sshd_.skip_reason();
        sshd_.trust_host_key();
        remote_ = connect_board(sshd_.rig_config(), {});
        board_file_ = (sshd_.dir() / "besrig.lock").string();
    }
    test::LocalSshd sshd_;
    std::unique_ptr<Remote> remote_;
    std::string board_file_;
    test::TempDir state_a_, state_b_;
};

TEST_F(BoardLockOverSshTest, BoardFileNamesHolderAndRefusesAnotherController) {
    {
        auto a = BoardLock::acquire_local(state_a_.path(), "ohm", "besrig run phase6");
        EXPECT_EQ(a->acquire_board(*remote_, board_file_), "");
        const auto content = slurp(board_file_);
        EXPECT_THAT(content, HasSubstr("pid=" + std::to_string(::getpid())));
        EXPECT_THAT(content, HasSubstr("command=besrig run phase6"));
        // A second controller (its own state dir) sees the board's lock.
        auto b = BoardLock::acquire_local(state_b_.path(), "ohm", "besrig deploy x.ko");
        try {
            b->acquire_board(*remote_, board_file_);
            FAIL() << "two controllers drive one board";
        } catch (const Error& e) {
            EXPECT_THAT(e.what(), HasSubstr("locked by another controller"));
            EXPECT_THAT(e.what(), HasSubstr("besrig run phase6"));
        }
    }
    EXPECT_FALSE(std::filesystem::exists(board_file_)) << "the lock file must go with its holder";
}

TEST_F(BoardLockOverSshTest, StaleLockOfThisHostIsTakenOverOtherHostsAreNot) {
    std::ofstream(board_file_) << "host=" << host() << " pid=2147483000 since=2026-01-01T00:00:00Z command=besrig gone\n";
    {
        auto a = BoardLock::acquire_local(state_a_.path(), "ohm", "besrig status");
        EXPECT_THAT(a->acquire_board(*remote_, board_file_), HasSubstr("stale"));
    }
    std::ofstream(board_file_) << "host=lab-controller-7 pid=1 since=2026-01-01T00:00:00Z command=besrig nightly\n";
    auto a = BoardLock::acquire_local(state_a_.path(), "ohm", "besrig status");
    EXPECT_THROW(a->acquire_board(*remote_, board_file_), Error);
    EXPECT_THAT(slurp(board_file_), HasSubstr("lab-controller-7")) << "someone else's lock must stay";
}

}  // namespace
}  // namespace besrig::board
