// A gmock Remote for unit tests of code above the SSH seam (board probes,
// deploy, phases): script the board's replies, check the commands sent.
//
//     testing::NiceMock<besrig::test::MockRemote> remote;
//     EXPECT_CALL(remote, run(ElementsAre("uname", "-r"), _)).WillOnce(Return(reply("6.1.0\n")));
#pragma once

#include <gmock/gmock.h>

#include "rig/ssh/remote.hpp"

namespace besrig::test {

class MockRemote : public Remote {
public:
    MockRemote() { ON_CALL(*this, where()).WillByDefault(::testing::Return("root@board:22")); }
    MOCK_METHOD((Result<RemoteOutput, RemoteError>), run,
                (const std::vector<std::string>& argv, std::chrono::milliseconds timeout), (override));
    MOCK_METHOD((Result<RemoteOutput, RemoteError>), run_script,
                (const std::string& script, const std::vector<std::string>& args, std::chrono::milliseconds timeout),
                (override));
    MOCK_METHOD((Result<int, RemoteError>), stream, (const std::vector<std::string>& argv, const StreamOptions& options),
                (override));
    MOCK_METHOD((Result<Done, RemoteError>), upload,
                (const std::filesystem::path& local, const std::string& remote_path,
                 (const std::function<void(std::uint64_t, std::uint64_t)>&)progress),
                (override));
    MOCK_METHOD((Result<Done, RemoteError>), download, (const std::string& remote_path, const std::filesystem::path& local),
                (override));
    MOCK_METHOD(std::string, where, (), (const, override));
};

// A successful reply with this stdout (and exit status).
inline Result<RemoteOutput, RemoteError> reply(const std::string& out, int exit_status = 0, const std::string& err = "") {
    RemoteOutput o;
    o.out = out;
    o.err = err;
    o.exit_status = exit_status;
    return o;
}

inline Result<RemoteOutput, RemoteError> transport_error(RemoteErrorKind kind, const std::string& message = "x") {
    return fail(RemoteError{kind, "root@board:22", "cmd", message});
}

}  // namespace besrig::test
