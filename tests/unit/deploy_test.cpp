// Verified deploy: against the real local sshd for upload/verify/install
// (the load steps need a kernel, so they are tested with a scripted board),
// and with a scripted board for disk full and the unload/load/prove logic.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sys/utsname.h>

#include "rig/board/deploy.hpp"
#include "rig/ssh/connect_board.hpp"
#include "tests/support/local_sshd.hpp"
#include "tests/support/mock_remote.hpp"
#include "tests/unit/test_support.hpp"
#include "util/error.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"

namespace besrig::board {
namespace {

using namespace std::chrono_literals;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::NiceMock;
using ::testing::Return;
using test::reply;

std::string local_release() {
    utsname u{};
    ::uname(&u);
    return u.release;
}

// A file that looks enough like a module for deploy: ELF magic, .modinfo
// strings, and some random bytes so two builds differ.
ModuleBuild fake_build(const std::filesystem::path& path, const std::string& srcversion, const std::string& release,
                       unsigned seed) {
    std::string bytes = std::string("\x7f" "ELF", 4) + std::string(1, '\0') + "srcversion=" + srcversion +
                        std::string(1, '\0') + "vermagic=" + release + " SMP mod_unload" + std::string(1, '\0');
    std::mt19937 rng(seed);
    for (int i = 0; i < 300000; ++i) bytes.push_back(static_cast<char>(rng() & 0xff));
    std::ofstream(path, std::ios::binary) << bytes;
    return module_build_from_file(path, "p" + std::to_string(seed));
}

class DeployOverSshTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!sshd_.ok()) GTEST_SKIP() << "no local sshd: " << sshd_.skip_reason();
        sshd_.trust_host_key();
        config_ = sshd_.rig_config();
        config_.module.install_path = (sshd_.dir() / "lib/modules/{release}/extra/{module}.ko").string();
        remote_ = connect_board(config_, {});
        target_ = config_.module_install_path(local_release());
    }
    DeployState deploy(const ModuleBuild& b) {
        DeployState state;
        deploy_module(*remote_, config_, b, DeployOptions{}, [&](const StepRecord& r) { log_.push_back(r); }, state);
        return state;
    }
    test::LocalSshd sshd_;
    RigConfig config_;
    std::unique_ptr<Remote> remote_;
    std::string target_;
    std::vector<StepRecord> log_;
    test::TempDir tmp_;
};

TEST_F(DeployOverSshTest, InstallsVerifiedAndKeepsThePreviousFile) {
    const auto b1 = fake_build(tmp_.path() / "b1.ko", "AAAAAAAAAAAAAAAAAAAAAAA", local_release(), 1);
    const auto b2 = fake_build(tmp_.path() / "b2.ko", "BBBBBBBBBBBBBBBBBBBBBBB", local_release(), 2);
    auto s1 = deploy(b1);
    EXPECT_TRUE(s1.installed);
    EXPECT_EQ(s1.target, target_);
    EXPECT_EQ(s1.previous, "");
    EXPECT_EQ(sha256_file(target_), b1.sha256);

    auto s2 = deploy(b2);
    EXPECT_EQ(sha256_file(target_), b2.sha256);
    EXPECT_EQ(s2.previous, target_ + ".prev");
    EXPECT_EQ(sha256_file(target_ + ".prev"), b1.sha256);
    EXPECT_FALSE(std::filesystem::exists(upload_temp_path(target_)));
    std::vector<std::string> names;
    for (const auto& r : log_) names.push_back(r.step);
    for (const char* step : {"release", "space", "upload", "verify", "install", "depmod"})
        EXPECT_NE(std::find(names.begin(), names.end(), step), names.end()) << step;
    // A target outside /lib/modules/RELEASE: no depmod of this host's index.
    const auto outside = std::find_if(log_.begin(), log_.end(), [](const StepRecord& r) {
        return r.step == "depmod" && r.message.find("depmod does not index it") != std::string::npos;
    });
    EXPECT_NE(outside, log_.end()) << "depmod ran for a module outside /lib/modules";
    std::printf("upload %.3f s, verify %.3f s, install %.3f s for %s\n", s2.upload_seconds, s2.verify_seconds,
                s2.install_seconds, format_bytes(std::filesystem::file_size(b2.path)).c_str());
}

TEST_F(DeployOverSshTest, CorruptedUploadIsRefusedAndTheOldModuleStays) {
    const auto b1 = fake_build(tmp_.path() / "b1.ko", "AAAAAAAAAAAAAAAAAAAAAAA", local_release(), 1);
    deploy(b1);
    auto tampered = fake_build(tmp_.path() / "b2.ko", "BBBBBBBBBBBBBBBBBBBBBBB", local_release(), 2);
    tampered.sha256 = b1.sha256;  // what arrives is not what the build says
    DeployState state;
    try {
        deploy_module(*remote_, config_, tampered, {}, {}, state);
        FAIL() << "a corrupted upload was installed";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Infra);
        EXPECT_THAT(e.what(), HasSubstr("corrupted"));
        EXPECT_THAT(e.what(), HasSubstr("intact"));
    }
    EXPECT_FALSE(state.installed);
    EXPECT_EQ(sha256_file(target_), b1.sha256);
    EXPECT_FALSE(std::filesystem::exists(upload_temp_path(target_)));
    EXPECT_FALSE(std::filesystem::exists(target_ + ".prev"));
}

TEST_F(DeployOverSshTest, BuildForAnotherKernelIsRefused) {
    const auto b = fake_build(tmp_.path() / "b.ko", "CCCCCCCCCCCCCCCCCCCCCCC", "0.0.1-other", 3);
    DeployState state;
    try {
        deploy_module(*remote_, config_, b, {}, {}, state);
        FAIL() << "deployed a module built for another kernel";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Usage);
        EXPECT_THAT(e.what(), HasSubstr("0.0.1-other"));
    }
    EXPECT_FALSE(std::filesystem::exists(target_));
}

TEST_F(DeployOverSshTest, HostilePathsAreQuotedEverywhere) {
    config_.module.install_path = (sshd_.dir() / "x'; touch pwned #/$(touch pwned2)/{module}.ko").string();
    const auto b = fake_build(tmp_.path() / "b.ko", "DDDDDDDDDDDDDDDDDDDDDDD", local_release(), 4);
    DeployState state;
    deploy_module(*remote_, config_, b, {}, {}, state);
    EXPECT_EQ(sha256_file(state.target), b.sha256);
    EXPECT_FALSE(std::filesystem::exists("pwned"));
    EXPECT_FALSE(std::filesystem::exists(sshd_.dir() / "pwned"));
    EXPECT_FALSE(std::filesystem::exists("/root/pwned"));
    EXPECT_FALSE(std::filesystem::exists("/root/pwned2"));
}

class DeployScriptedTest : public ::testing::Test {
protected:
    void SetUp() override {
        config_.module.name = "bes2600";
        config_.module.install_path = "/lib/modules/{release}/extra/{module}.ko";
        config_.timeouts.command_s = 5;
        config_.timeouts.load_s = 5;
        build_ = fake_build(tmp_.path() / "b.ko", "NEWSRCVERSION0000000000", "6.1.0", 5);
        ON_CALL(remote_, run(ElementsAre("uname", "-r"), _)).WillByDefault(Return(reply("6.1.0\n")));
    }
    NiceMock<test::MockRemote> remote_;
    RigConfig config_;
    ModuleBuild build_;
    test::TempDir tmp_;
};

TEST_F(DeployScriptedTest, DiskFullIsClearAndNothingIsUploaded) {
    EXPECT_CALL(remote_, run_script(HasSubstr("df -Pk"), _, _))
        .WillOnce(Return(reply("path=/lib/modules/6.1.0\nFilesystem 1024-blocks Used Available Capacity Mounted on\n"
                               "/dev/root 1000 990 10 99% /\n")));
    EXPECT_CALL(remote_, upload(_, _, _)).Times(0);
    DeployState state;
    try {
        deploy_module(remote_, config_, build_, {}, {}, state);
        FAIL() << "deployed onto a full disk";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("disk full"));
        EXPECT_THAT(e.what(), HasSubstr("intact"));
    }
    EXPECT_FALSE(state.installed);
}

// Everything up to the upload succeeds on the scripted board.
// (EXPECT_CALL, not ON_CALL: the tests also expect calls of run/run_script.)
void board_accepts_until_upload(test::MockRemote& remote) {
    EXPECT_CALL(remote, run(ElementsAre("uname", "-r"), _)).WillRepeatedly(Return(reply("6.1.0\n")));
    EXPECT_CALL(remote, run_script(HasSubstr("df -Pk"), _, _))
        .WillRepeatedly(Return(reply("path=/lib/modules/6.1.0\nFilesystem 1024-blocks Used Available Capacity Mounted on\n"
                                     "/dev/root 1000000 10 999990 1% /\n")));
    EXPECT_CALL(remote, run(ElementsAre("mkdir", "-p", _), _)).WillRepeatedly(Return(reply("")));
}

TEST_F(DeployScriptedTest, AFailedUploadSaysWhyInTheBoardsWords) {
    board_accepts_until_upload(remote_);
    Result<Done, RemoteError> sftp_failure = fail(RemoteError{RemoteErrorKind::Transfer, "root@board:22", "sftp", "Failure"});
    EXPECT_CALL(remote_, upload(_, _, _)).WillOnce(Return(sftp_failure));
    EXPECT_CALL(remote_, run_script(HasSubstr("printf x"), ElementsAre(HasSubstr(".besrig-upload")), _))
        .WillOnce(Return(reply("", 1, "sh: 1: cannot create /lib/x: No space left on device\n")));
    EXPECT_CALL(remote_, run(ElementsAre("rm", "-f", HasSubstr(".besrig-upload")), _)).WillOnce(Return(reply("")));
    DeployState state;
    try {
        deploy_module(remote_, config_, build_, {}, {}, state);
        FAIL() << "a failed upload went unnoticed";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("upload failed"));
        EXPECT_THAT(e.what(), HasSubstr("No space left on device"));
        EXPECT_THAT(e.what(), HasSubstr("intact"));
    }
    EXPECT_FALSE(state.installed);
}

TEST_F(DeployScriptedTest, ASha256sumThatAnswersGarbageIsNotCalledCorruption) {
    board_accepts_until_upload(remote_);
    EXPECT_CALL(remote_, upload(_, _, _)).WillOnce(Return(Result<Done, RemoteError>(Done{})));
    EXPECT_CALL(remote_, run(ElementsAre("sha256sum", _), _)).WillOnce(Return(reply("sha256sum: \x1b[31mgarbage\n")));
    EXPECT_CALL(remote_, run(ElementsAre("rm", "-f", HasSubstr(".besrig-upload")), _)).WillOnce(Return(reply("")));
    DeployState state;
    try {
        deploy_module(remote_, config_, build_, {}, {}, state);
        FAIL() << "garbage accepted as a hash";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("sha256sum"));
        EXPECT_THAT(e.what(), HasSubstr("unexpected reply"));
        EXPECT_THAT(e.what(), HasSubstr("\\x1b"));
        EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("corrupted")));
    }
    EXPECT_FALSE(state.installed);
}

TEST_F(DeployScriptedTest, RmmodThatHangsHitsTheDeadline) {
    EXPECT_CALL(remote_, run_script(HasSubstr("/sys/module"), ElementsAre("bes2600"), _))
        .WillOnce(Return(reply("loaded=1\nsrcversion=OLD\ninitstate=live\nrefcnt=1\ntainted=0\n")));
    EXPECT_CALL(remote_, run(ElementsAre("rmmod", "bes2600"), std::chrono::milliseconds(5000)))
        .WillOnce(Return(test::transport_error(RemoteErrorKind::Timeout, "timed out")));
    EXPECT_CALL(remote_, run(ElementsAre("insmod", _), _)).Times(0);
    DeployState state;
    std::vector<StepRecord> log;
    try {
        reload_and_prove(remote_, config_, "/lib/modules/6.1.0/extra/bes2600.ko", build_.srcversion,
                         [&](const StepRecord& r) { log.push_back(r); }, state);
        FAIL() << "a hung rmmod went unnoticed";
    } catch (const UnloadHung& e) {  // its own type: the caller escalates (module.unload_hang)
        EXPECT_THAT(e.what(), HasSubstr("hung"));
        EXPECT_EQ(e.kind(), ErrorKind::Infra);
    }
    EXPECT_FALSE(state.old_unloaded);
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back().step, "unload");
    EXPECT_FALSE(log.back().ok);
}

TEST_F(DeployScriptedTest, LoadIsProvenBySrcversion) {
    EXPECT_CALL(remote_, run_script(HasSubstr("/sys/module"), ElementsAre("bes2600"), _))
        .WillOnce(Return(reply("loaded=1\nsrcversion=OLD\ninitstate=live\nrefcnt=0\ntainted=0\n")))
        .WillOnce(Return(reply("loaded=1\nsrcversion=NEWSRCVERSION0000000000\ninitstate=live\nrefcnt=0\ntainted=12288\n")));
    EXPECT_CALL(remote_, run(ElementsAre("rmmod", "bes2600"), _)).WillOnce(Return(reply("")));
    config_.module.params = "lower=wphy0 debug=1";
    EXPECT_CALL(remote_, run(ElementsAre("insmod", "/x/bes2600.ko", "lower=wphy0", "debug=1"), _)).WillOnce(Return(reply("")));
    DeployState state;
    reload_and_prove(remote_, config_, "/x/bes2600.ko", build_.srcversion, {}, state);
    EXPECT_TRUE(state.loaded);
    EXPECT_EQ(state.running_srcversion, build_.srcversion);
}

TEST_F(DeployScriptedTest, WrongRunningModuleIsNotProof) {
    EXPECT_CALL(remote_, run_script(HasSubstr("/sys/module"), _, _))
        .WillOnce(Return(reply("loaded=0\ntainted=0\n")))
        .WillOnce(Return(reply("loaded=1\nsrcversion=SOMETHINGELSE\ninitstate=live\ntainted=0\n")));
    EXPECT_CALL(remote_, run(ElementsAre("rmmod", _), _)).Times(0);
    EXPECT_CALL(remote_, run(ElementsAre("insmod", _), _)).WillOnce(Return(reply("")));
    DeployState state;
    EXPECT_THROW(reload_and_prove(remote_, config_, "/x/bes2600.ko", build_.srcversion, {}, state), Error);
    EXPECT_FALSE(state.loaded);
}

TEST_F(DeployScriptedTest, InsmodFailureIsThePatchsFault) {
    EXPECT_CALL(remote_, run_script(HasSubstr("/sys/module"), _, _)).WillOnce(Return(reply("loaded=0\ntainted=0\n")));
    EXPECT_CALL(remote_, run(ElementsAre("insmod", _), _))
        .WillOnce(Return(reply("", 1, "insmod: ERROR: could not insert module: Invalid parameters\n")));
    DeployState state;
    try {
        reload_and_prove(remote_, config_, "/x/bes2600.ko", build_.srcversion, {}, state);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::PatchFailure);
        EXPECT_THAT(e.what(), HasSubstr("Invalid parameters"));
    }
}

}  // namespace
}  // namespace besrig::board
