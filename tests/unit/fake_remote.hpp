// A scripted Remote for unit tests: answers by the first rule whose needle
// occurs in the command or script text; records every call.
#pragma once

#include <string>
#include <vector>

#include "rig/ssh/remote.hpp"
#include "util/strings.hpp"

namespace besrig::test {

class FakeRemote : public Remote {
public:
    struct Rule {
        std::string needle;
        int exit_status = 0;
        std::string out;
        std::string err;
        std::optional<RemoteErrorKind> error;  // fail with this kind instead
    };
    std::vector<Rule> rules;
    std::vector<std::string> calls;
    std::vector<std::chrono::milliseconds> timeouts;  // of each run / run_script call

    Result<RemoteOutput, RemoteError> answer(const std::string& text) {
        calls.push_back(text);
        for (const auto& r : rules) {
            if (text.find(r.needle) == std::string::npos) continue;
            if (r.error) return fail(RemoteError{*r.error, where(), text.substr(0, 40), "scripted failure"});
            return RemoteOutput{r.exit_status, r.out, r.err, 0.01};
        }
        return RemoteOutput{0, "", "", 0.01};
    }
    Result<RemoteOutput, RemoteError> run(const std::vector<std::string>& argv, std::chrono::milliseconds t) override {
        timeouts.push_back(t);
        return answer(shell_join(argv));
    }
    Result<RemoteOutput, RemoteError> run_script(const std::string& script, const std::vector<std::string>& args,
                                                 std::chrono::milliseconds t) override {
        timeouts.push_back(t);
        return answer(script + " -- " + shell_join(args));
    }
    Result<int, RemoteError> stream(const std::vector<std::string>& argv, const StreamOptions& o) override {
        auto r = answer(shell_join(argv));
        if (!r) return fail(r.error());
        for (const auto& line : split_lines(r->out))
            if (o.on_stdout) o.on_stdout(line);
        return r->exit_status;
    }
    Result<Done, RemoteError> upload(const std::filesystem::path& local, const std::string& remote,
                                     const std::function<void(std::uint64_t, std::uint64_t)>&) override {
        auto r = answer("upload " + local.string() + " " + remote);
        if (!r) return fail(r.error());
        return Done{};
    }
    Result<Done, RemoteError> download(const std::string& remote, const std::filesystem::path& local) override {
        auto r = answer("download " + remote + " " + local.string());
        if (!r) return fail(r.error());
        return Done{};
    }
    std::string where() const override { return "root@fake:22"; }
};

}  // namespace besrig::test
