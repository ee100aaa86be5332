// A reload whose rmmod hangs (the module's exit never returns) escalates per
// module.unload_hang, over scripted boards: "fail" refuses and says so;
// "reboot" reboots, reconnects, and proves the module the board loaded at
// boot without another rmmod/insmod; "power_cycle" without a switch is named.
// Every decision is in the step log (the run's log in the store).
#include <gtest/gtest.h>

#include <deque>

#include "phases/adapters/real_board.hpp"
#include "tests/unit/fake_remote.hpp"

namespace besrig::phases {
namespace {

using test::FakeRemote;

// A session handed to RealBoard that forwards to a FakeRemote the test keeps:
// RealBoard drops its session at a reboot, the test still reads the calls.
class Borrowed : public Remote {
public:
    explicit Borrowed(FakeRemote& r) : r_(r) {}
    Result<RemoteOutput, RemoteError> run(const std::vector<std::string>& argv, std::chrono::milliseconds t) override {
        return r_.run(argv, t);
    }
    Result<RemoteOutput, RemoteError> run_script(const std::string& script, const std::vector<std::string>& args,
                                                 std::chrono::milliseconds t) override {
        return r_.run_script(script, args, t);
    }
    Result<int, RemoteError> stream(const std::vector<std::string>& argv, const StreamOptions& o) override {
        return r_.stream(argv, o);
    }
    Result<Done, RemoteError> upload(const std::filesystem::path& local, const std::string& remote,
                                     const std::function<void(std::uint64_t, std::uint64_t)>& progress) override {
        return r_.upload(local, remote, progress);
    }
    Result<Done, RemoteError> download(const std::string& remote, const std::filesystem::path& local) override {
        return r_.download(remote, local);
    }
    std::string where() const override { return r_.where(); }

private:
    FakeRemote& r_;
};

struct Logged {
    std::string step, message;
    bool ok;
};

class UnloadEscalationTest : public ::testing::Test {
protected:
    void SetUp() override {
        config_.module.name = "bes2600";
        config_.module.install_path = "/lib/modules/{release}/extra/{module}.ko";
        config_.timeouts.command_s = 5;
        config_.timeouts.load_s = 5;
        config_.timeouts.boot_s = 30;
        config_.timeouts.keepalive_s = 1;
        config_.power.kind = "none";
    }
    // The board before the escalation: OLD runs, rmmod hangs.
    std::unique_ptr<FakeRemote> hung_board() {
        auto r = std::make_unique<FakeRemote>();
        r->rules.push_back({"/sys/module", 0, "loaded=1\nsrcversion=OLD\ninitstate=live\nrefcnt=0\ntainted=12288\n", "", {}});
        r->rules.push_back({"rmmod", 0, "", "", RemoteErrorKind::Timeout});
        first_ = r.get();
        return r;
    }
    // The board after a reboot: it loaded its installed module (NEW) at boot.
    std::unique_ptr<FakeRemote> booted_board(const std::string& running) {
        auto r = std::make_unique<FakeRemote>();
        r->rules.push_back({"/sys/module", 0, "loaded=1\nsrcversion=" + running + "\ninitstate=live\nrefcnt=0\ntainted=12288\n", "", {}});
        second_ = r.get();
        return r;
    }
    RealBoard board() {
        RealBoard b(config_, ConnectOptions{}, [this](const RigConfig&, const ConnectOptions&) -> Result<std::unique_ptr<Remote>, RemoteError> {
            ++connects_;
            if (sessions_.empty()) return fail(RemoteError{RemoteErrorKind::Refused, "root@fake:22", "connect", "no more sessions"});
            FakeRemote& r = *sessions_.front();
            kept_.push_back(std::move(sessions_.front()));
            sessions_.pop_front();
            return std::unique_ptr<Remote>(std::make_unique<Borrowed>(r));
        });
        return b;
    }
    void attach_log(RealBoard& b) {
        b.set_step_log([this](const std::string& step, const std::string& message, double, bool ok) {
            log_.push_back({step, message, ok});
        });
    }
    bool logged(const std::string& step, const std::string& needle, bool ok) const {
        for (const auto& l : log_)
            if (l.step == step && l.ok == ok && l.message.find(needle) != std::string::npos) return true;
        return false;
    }
    static bool called(const FakeRemote* r, const std::string& needle) {
        for (const auto& c : r->calls)
            if (c.find(needle) != std::string::npos) return true;
        return false;
    }

    RigConfig config_;
    std::deque<std::unique_ptr<FakeRemote>> sessions_;
    std::vector<std::unique_ptr<FakeRemote>> kept_;  // handed out, still readable
    FakeRemote* first_ = nullptr;
    FakeRemote* second_ = nullptr;
    int connects_ = 0;
    std::vector<Logged> log_;
};

TEST_F(UnloadEscalationTest, FailPolicyRefusesAndSaysWhatToDo) {
    config_.module.unload_hang = "fail";
    sessions_.push_back(hung_board());
    auto b = board();
    attach_log(b);
    board::DeployState state;
    try {
        b.reload_path("/x/bes2600.ko", "NEW", state);
        FAIL() << "a hung rmmod was not reported";
    } catch (const board::UnloadHung& e) {
        EXPECT_NE(std::string(e.what()).find("module.unload_hang is \"fail\""), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("reboot or power-cycle"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(called(first_, "reboot"));
    EXPECT_FALSE(called(first_, "insmod"));
    EXPECT_TRUE(logged("unload", "hung", false));
    EXPECT_TRUE(logged("escalate", "not escalating", false));
    EXPECT_FALSE(state.loaded);
}

TEST_F(UnloadEscalationTest, RebootPolicyRebootsAndProvesTheModuleLoadedAtBoot) {
    config_.module.unload_hang = "reboot";
    sessions_.push_back(hung_board());
    sessions_.push_back(booted_board("NEW"));
    auto b = board();
    attach_log(b);
    board::DeployState state;
    b.reload_path("/x/bes2600.ko", "NEW", state);
    EXPECT_TRUE(called(first_, "reboot"));
    EXPECT_FALSE(called(first_, "insmod"));
    EXPECT_FALSE(called(second_, "rmmod"));
    EXPECT_FALSE(called(second_, "insmod"));
    EXPECT_TRUE(state.loaded);
    EXPECT_EQ(state.running_srcversion, "NEW");
    EXPECT_TRUE(logged("escalate", "escalating: reboot", false));
    EXPECT_TRUE(logged("escalate", "reboot done", true));
    EXPECT_TRUE(logged("prove", "srcversion NEW", true));
}

TEST_F(UnloadEscalationTest, AfterTheRebootAnotherModuleIsReloadedAndProven) {
    config_.module.unload_hang = "reboot";
    sessions_.push_back(hung_board());
    auto after = booted_board("OLD");
    // First probe: OLD (loaded at boot); after rmmod + insmod: NEW.
    after->rules.clear();
    after->rules.push_back({"insmod", 0, "", "", {}});
    after->rules.push_back({"rmmod", 0, "", "", {}});
    sessions_.push_back(std::move(after));
    auto b = board();
    board::DeployState state;
    // The scripted board keeps answering OLD: the proof must fail, loudly.
    second_->rules.push_back({"/sys/module", 0, "loaded=1\nsrcversion=OLD\ninitstate=live\nrefcnt=0\ntainted=0\n", "", {}});
    EXPECT_THROW(b.reload_path("/x/bes2600.ko", "NEW", state), Error);
    EXPECT_TRUE(called(second_, "rmmod"));
    EXPECT_TRUE(called(second_, "insmod"));
    EXPECT_FALSE(state.loaded);
}

TEST_F(UnloadEscalationTest, PowerCycleWithoutASwitchIsNamed) {
    config_.module.unload_hang = "power_cycle";
    sessions_.push_back(hung_board());
    auto b = board();
    attach_log(b);
    board::DeployState state;
    try {
        b.reload_path("/x/bes2600.ko", "NEW", state);
        FAIL() << "power-cycled without a switch";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("power.kind"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(logged("escalate", "power_cycle failed", false));
}

}  // namespace
}  // namespace besrig::phases
