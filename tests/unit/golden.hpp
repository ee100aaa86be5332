// Golden-file comparison for rendered reports: the expected text lives under
// tests/data/reports/ and was reviewed by eye once. BESRIG_UPDATE_GOLDEN=1
// rewrites it from the current output (then review the diff in git).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

namespace besrig::test {

inline void expect_golden(const std::string& name, const std::string& actual) {
    const auto path = std::filesystem::path(BESRIG_TEST_DATA_DIR) / "reports" / name;
    const char* update = std::getenv("BESRIG_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << actual;
        std::cerr << "updated golden file " << path << "\n";
        return;
    }
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << "missing golden file " << path << " (run the test with BESRIG_UPDATE_GOLDEN=1, then review it)";
    std::stringstream expected;
    expected << in.rdbuf();
    if (expected.str() == actual) return;
    // Point at the first differing line rather than dumping two whole reports.
    std::istringstream a(actual), e(expected.str());
    std::string la, le;
    int line = 1;
    while (true) {
        const bool ga = static_cast<bool>(std::getline(a, la)), ge = static_cast<bool>(std::getline(e, le));
        if (!ga && !ge) break;
        if (la != le || ga != ge) {
            ADD_FAILURE() << name << " differs from " << path << " at line " << line << ":\n  expected: " << le
                          << "\n  actual:   " << la << "\n(BESRIG_UPDATE_GOLDEN=1 rewrites it; review the diff)";
            return;
        }
        ++line;
    }
    ADD_FAILURE() << name << " differs from " << path << " (line endings?)";
}

}  // namespace besrig::test
