// Rollback does only what is needed, against a scripted board.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rig/board/rollback.hpp"
#include "tests/support/mock_remote.hpp"

namespace besrig::board {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;
using test::reply;

class RollbackTest : public ::testing::Test {
protected:
    void SetUp() override {
        config_.module.name = "bes2600";
        config_.module.install_path = "/lib/modules/{release}/extra/{module}.ko";
        b_.sha256 = std::string(64, 'b');
        b_.srcversion = "BBBBBBBBBBBBBBBBBBBBBBB";
        b_.vermagic = "6.1.0 SMP";
        EXPECT_CALL(remote_, run(ElementsAre("uname", "-r"), _)).WillRepeatedly(Return(reply("6.1.0\n")));
    }
    void board_has(const std::string& installed_sha, const std::string& running_src) {
        EXPECT_CALL(remote_, run_script(HasSubstr("sha256sum"), ElementsAre("/lib/modules/6.1.0/extra/bes2600.ko"), _))
            .WillOnce(Return(reply("present=1\nsha256=" + installed_sha + "\nsize=10\n")));
        EXPECT_CALL(remote_, run_script(HasSubstr("/sys/module"), ElementsAre("bes2600"), _))
            .WillOnce(Return(reply("loaded=1\nsrcversion=" + running_src + "\ninitstate=live\ntainted=12288\n")))
            .WillRepeatedly(Return(reply("loaded=1\nsrcversion=" + b_.srcversion + "\ninitstate=live\ntainted=12288\n")));
    }
    NiceMock<test::MockRemote> remote_;
    RigConfig config_;
    ModuleBuild b_;
};

TEST_F(RollbackTest, NothingToDoWhenTheRollbackBuildRuns) {
    board_has(b_.sha256, b_.srcversion);
    EXPECT_CALL(remote_, upload(_, _, _)).Times(0);
    EXPECT_CALL(remote_, run(ElementsAre("rmmod", _), _)).Times(0);
    RollbackOutcome out;
    rollback_to(remote_, config_, b_, {}, out);
    EXPECT_EQ(out.action, RollbackAction::AlreadyRunning);
    EXPECT_TRUE(out.state.loaded);
}

TEST_F(RollbackTest, InstalledButAnotherModuleRunsMeansReload) {
    board_has(b_.sha256, "CCCCCCCCCCCCCCCCCCCCCCC");  // "RUNNING is still Patch C broken"
    EXPECT_CALL(remote_, upload(_, _, _)).Times(0);
    EXPECT_CALL(remote_, run(ElementsAre("rmmod", "bes2600"), _)).WillOnce(Return(reply("")));
    EXPECT_CALL(remote_, run(ElementsAre("insmod", "/lib/modules/6.1.0/extra/bes2600.ko"), _)).WillOnce(Return(reply("")));
    RollbackOutcome out;
    rollback_to(remote_, config_, b_, {}, out);
    EXPECT_EQ(out.action, RollbackAction::Reloaded);
    EXPECT_TRUE(out.state.loaded);
    EXPECT_EQ(out.state.running_srcversion, b_.srcversion);
}

}  // namespace
}  // namespace besrig::board
