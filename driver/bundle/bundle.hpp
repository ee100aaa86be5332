// The bundle (BRIEF §3): a content-addressed store of module builds. Files
// live as <bundle_dir>/<sha256>.ko with a manifest.json beside them; the
// store's `builds` table is the index. Nothing is deployed that is not here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace besrig {

class Store;

struct BuildRecord {
    std::int64_t id = 0;
    std::string patch;
    std::string sha256;
    std::uint64_t size = 0;
    std::string path;  // the file in the bundle
    std::string vermagic;
    std::string srcversion;
    std::string version;
    std::string kernel_release;
    std::string source_rev;
    std::string series_hash;
    std::string inputs_hash;
    int warnings = 0;
    std::string warnings_text;
    std::string origin;  // "build" | "import"
    double built_at = 0;
};

// What the caller knows about a file it registers; the rest is read from it.
struct BuildMeta {
    std::string patch;
    std::string origin = "import";
    std::string source_rev;
    std::string series_hash;
    std::string inputs_hash;
    int warnings = 0;
    std::string warnings_text;
};

class Bundle {
public:
    Bundle(std::filesystem::path dir, Store& store);

    // Copies `ko` into the bundle (atomically) and records it. Registering the
    // same bytes for the same patch again returns the existing record; the same
    // bytes under another patch name is refused (one build, one identity).
    BuildRecord add(const std::filesystem::path& ko, const BuildMeta& meta);

    std::optional<BuildRecord> by_sha256(const std::string& sha_or_prefix);
    std::optional<BuildRecord> by_inputs(const std::string& inputs_hash);
    std::optional<BuildRecord> latest(const std::string& patch);
    std::vector<BuildRecord> list(const std::optional<std::string>& patch);

    // The file of a build, verified against its sha256; throws Error(Infra) if
    // it is missing or altered.
    std::filesystem::path verified_file(const BuildRecord& build);
    const std::filesystem::path& dir() const { return dir_; }

private:
    void write_manifest();
    std::filesystem::path dir_;
    Store& store_;
};

}  // namespace besrig
