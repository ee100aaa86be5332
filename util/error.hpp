// The one error policy (STYLE §4): an exception for what ends the command,
// caught once in main and printed as "besrig: error: <message>".
#pragma once

#include <stdexcept>
#include <string>

namespace besrig {

// What kind of failure ended a command; decides the exit code (BRIEF §5).
enum class ErrorKind {
    Usage,         // bad command line                               -> 2
    Config,        // bad config file, environment or --set value   -> 2
    Infra,         // the rig or controller failed, not the patch   -> 2 (125 under --bisect)
    PatchFailure,  // the patch under test failed                   -> 1
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

[[noreturn]] void throw_usage(const std::string& message);
[[noreturn]] void throw_config(const std::string& message);
[[noreturn]] void throw_infra(const std::string& message);

// Exit codes of BRIEF §5.
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int patch_failure = 1;
inline constexpr int usage_or_infra = 2;
inline constexpr int bisect_skip = 125;
}  // namespace exit_code

// The process exit code for an error kind; `bisect` maps infrastructure
// errors to 125 so `git bisect run` skips the commit instead of blaming it.
int exit_code_for(ErrorKind kind, bool bisect);

}  // namespace besrig
