// A fake board for tests: a Remote whose commands run on this host through
// /bin/sh -c, streaming lines exactly as the real SSH implementation does.
// The iperf3 tests use it to run a real iperf3 client against a real server
// on 127.0.0.1.
#pragma once

#include "rig/ssh/remote.hpp"

namespace besrig::test {

class LocalShellRemote final : public Remote {
public:
    Result<RemoteOutput, RemoteError> run(const std::vector<std::string>& argv,
                                          std::chrono::milliseconds timeout) override;
    Result<RemoteOutput, RemoteError> run_script(const std::string& script, const std::vector<std::string>& args,
                                                 std::chrono::milliseconds timeout) override;
    Result<int, RemoteError> stream(const std::vector<std::string>& argv, const StreamOptions& options) override;
    Result<Done, RemoteError> upload(const std::filesystem::path&, const std::string&,
                                     const std::function<void(std::uint64_t, std::uint64_t)>&) override;
    Result<Done, RemoteError> download(const std::string&, const std::filesystem::path&) override;
    std::string where() const override { return "local-shell"; }

    std::vector<std::vector<std::string>> commands;  // every argv it was asked to run
};

}  // namespace besrig::test
