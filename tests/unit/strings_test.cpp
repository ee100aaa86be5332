#include <gtest/gtest.h>

#include "util/strings.hpp"

namespace besrig {
namespace {

TEST(ShellQuote, HostileTextStaysLiteral) {
    EXPECT_EQ(shell_quote("c-prep"), "c-prep");
    EXPECT_EQ(shell_quote("x'; touch /tmp/pwned #"), "'x'\\''; touch /tmp/pwned #'");
    EXPECT_EQ(shell_quote(""), "''");
    EXPECT_EQ(shell_quote("$(reboot)"), "'$(reboot)'");
    EXPECT_EQ(shell_join({"insmod", "/lib/modules/x y/bes2600.ko"}), "insmod '/lib/modules/x y/bes2600.ko'");
}

TEST(ParseInt, WholeStringOnly) {
    EXPECT_EQ(parse_int("22"), 22);
    EXPECT_EQ(parse_int(" 22 "), 22);
    EXPECT_FALSE(parse_int("22a"));
    EXPECT_FALSE(parse_int(""));
    EXPECT_FALSE(parse_int("99999999999999999999999"));
}

TEST(DidYouMean, FindsTypos) {
    EXPECT_EQ(did_you_mean("prot", {"host", "port", "user"}), "port");
    EXPECT_EQ(did_you_mean("identity_fle", {"identity_file", "known_hosts"}), "identity_file");
    EXPECT_FALSE(did_you_mean("zzzzzzzz", {"host", "port"}));
}

TEST(Printable, EscapesGarbage) {
    EXPECT_EQ(printable(std::string("a\x01\xff\n", 4)), "a\\x01\\xff\\n");
    EXPECT_LE(printable(std::string(1000, 'x'), 10).size(), 14u);
}

}  // namespace
}  // namespace besrig
