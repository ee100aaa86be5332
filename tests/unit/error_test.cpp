#include <gtest/gtest.h>

#include "util/error.hpp"

namespace besrig {
namespace {

TEST(ExitCodes, FollowTheBrief) {
    EXPECT_EQ(exit_code_for(ErrorKind::PatchFailure, false), 1);
    EXPECT_EQ(exit_code_for(ErrorKind::Usage, false), 2);
    EXPECT_EQ(exit_code_for(ErrorKind::Config, false), 2);
    EXPECT_EQ(exit_code_for(ErrorKind::Infra, false), 2);
}

TEST(ExitCodes, BisectSkipsOnlyInfrastructure) {
    EXPECT_EQ(exit_code_for(ErrorKind::Infra, true), 125);
    EXPECT_EQ(exit_code_for(ErrorKind::PatchFailure, true), 1);
    EXPECT_EQ(exit_code_for(ErrorKind::Usage, true), 2);
    EXPECT_EQ(exit_code_for(ErrorKind::Config, true), 2);
}

TEST(ExitCodes, ErrorCarriesKindAndMessage) {
    try {
        throw_infra("board ohm: ssh timed out");
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Infra);
        EXPECT_STREQ(e.what(), "board ohm: ssh timed out");
        return;
    }
    FAIL() << "no exception";
}

}  // namespace
}  // namespace besrig
