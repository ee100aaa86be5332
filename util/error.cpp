#include "util/error.hpp"

namespace besrig {

void throw_usage(const std::string& message) { throw Error(ErrorKind::Usage, message); }
void throw_config(const std::string& message) { throw Error(ErrorKind::Config, message); }
void throw_infra(const std::string& message) { throw Error(ErrorKind::Infra, message); }

int exit_code_for(ErrorKind kind, bool bisect) {
    switch (kind) {
    case ErrorKind::PatchFailure:
        return exit_code::patch_failure;
    case ErrorKind::Infra:
        return bisect ? exit_code::bisect_skip : exit_code::usage_or_infra;
    case ErrorKind::Usage:
    case ErrorKind::Config:
        return exit_code::usage_or_infra;
    }
    return exit_code::usage_or_infra;
}

}  // namespace besrig
