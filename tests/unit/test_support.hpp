// Helpers shared by unit tests: a temporary directory that cleans up after itself.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace besrig::test {

class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "besrig-test.XXXXXX").string();
        path_ = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path write(const std::string& name, const std::string& content) const {
        const auto p = path_ / name;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p) << content;
        return p;
    }

private:
    std::filesystem::path path_;
};

inline std::filesystem::path corpora_dir() { return BESRIG_CORPORA_DIR; }

}  // namespace besrig::test
