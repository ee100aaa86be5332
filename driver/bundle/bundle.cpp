#include "driver/bundle/bundle.hpp"

#include <nlohmann/json.hpp>

#include "driver/bundle/modinfo.hpp"
#include "reports/store/store.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/sha256.hpp"
#include "util/terminal.hpp"

namespace besrig {
namespace {

constexpr const char* k_columns =
    "id, patch, sha256, size, path, vermagic, srcversion, version, kernel_release, source_rev, series_hash, "
    "inputs_hash, warnings, warnings_text, origin, built_at";

BuildRecord read_build(const Stmt& s) {
    BuildRecord b;
    b.id = s.get_int(0);
    b.patch = s.get_text(1);
    b.sha256 = s.get_text(2);
    b.size = static_cast<std::uint64_t>(s.get_int(3));
    b.path = s.get_text(4);
    b.vermagic = s.get_text(5);
    b.srcversion = s.get_text(6);
    b.version = s.get_text(7);
    b.kernel_release = s.get_text(8);
    b.source_rev = s.get_text(9);
    b.series_hash = s.get_text(10);
    b.inputs_hash = s.get_text(11);
    b.warnings = static_cast<int>(s.get_int(12));
    b.warnings_text = s.get_text(13);
    b.origin = s.get_text(14);
    b.built_at = s.get_double(15);
    return b;
}

std::optional<BuildRecord> one(Stmt& s) {
    if (!s.step()) return std::nullopt;
    return read_build(s);
}

}  // namespace

Bundle::Bundle(std::filesystem::path dir, Store& store) : dir_(std::move(dir)), store_(store) {}

BuildRecord Bundle::add(const std::filesystem::path& ko, const BuildMeta& meta) {
    const ModInfo info = read_modinfo(ko);
    const auto sha = sha256_file(ko);
    if (auto existing = by_sha256(sha); existing && existing->sha256 == sha) {
        if (existing->patch != meta.patch)
            throw_usage(ko.string() + ": this exact module (sha256 " + sha.substr(0, 12) + ") is already registered as patch '" +
                        existing->patch + "'");
        return *existing;
    }
    if (info.get("srcversion").empty())
        throw_usage(ko.string() + ": no srcversion in .modinfo; the running module could not be proven "
                                  "(add MODULE_VERSION to the driver: Debian kernels lack CONFIG_MODULE_SRCVERSION_ALL)");
    const auto target = dir_ / (sha + ".ko");
    write_file_atomic(target, read_file(ko));
    if (sha256_file(target) != sha) throw_infra(target.string() + ": copy into the bundle does not match its source");
    const auto size = std::filesystem::file_size(target);
    Stmt s(store_.db(),
           "INSERT INTO builds (patch, sha256, size, path, vermagic, srcversion, version, kernel_release, source_rev, "
           "series_hash, inputs_hash, warnings, warnings_text, origin, built_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    s.bind(1, meta.patch).bind(2, sha).bind(3, static_cast<std::int64_t>(size)).bind(4, target.string());
    s.bind(5, info.get("vermagic")).bind(6, info.get("srcversion")).bind(7, info.get("version"));
    s.bind(8, info.kernel_release()).bind(9, meta.source_rev).bind(10, meta.series_hash).bind(11, meta.inputs_hash);
    s.bind(12, meta.warnings).bind(13, meta.warnings_text).bind(14, meta.origin).bind(15, unix_now());
    s.exec();
    write_manifest();
    return *by_sha256(sha);
}

std::optional<BuildRecord> Bundle::by_sha256(const std::string& sha_or_prefix) {
    if (sha_or_prefix.size() < 6) return std::nullopt;
    Stmt s(store_.db(), std::string("SELECT ") + k_columns + " FROM builds WHERE substr(sha256, 1, ?2) = ?1 LIMIT 2");
    s.bind(1, sha_or_prefix).bind(2, static_cast<std::int64_t>(sha_or_prefix.size()));
    auto first = one(s);
    if (first && s.step()) throw_usage("build " + sha_or_prefix + " is ambiguous; give more of its sha256");
    return first;
}

std::optional<BuildRecord> Bundle::by_inputs(const std::string& inputs_hash) {
    Stmt s(store_.db(), std::string("SELECT ") + k_columns +
                            " FROM builds WHERE inputs_hash = ?1 AND inputs_hash != '' ORDER BY id DESC LIMIT 1");
    s.bind(1, inputs_hash);
    return one(s);
}

std::optional<BuildRecord> Bundle::latest(const std::string& patch) {
    Stmt s(store_.db(), std::string("SELECT ") + k_columns + " FROM builds WHERE patch = ?1 ORDER BY id DESC LIMIT 1");
    s.bind(1, patch);
    return one(s);
}

std::vector<BuildRecord> Bundle::list(const std::optional<std::string>& patch) {
    Stmt s(store_.db(), std::string("SELECT ") + k_columns + " FROM builds WHERE (?1 IS NULL OR patch = ?1) ORDER BY id");
    s.bind(1, patch);
    std::vector<BuildRecord> out;
    while (s.step()) out.push_back(read_build(s));
    return out;
}

std::filesystem::path Bundle::verified_file(const BuildRecord& build) {
    const std::filesystem::path p = build.path;
    std::error_code ec;
    if (!std::filesystem::exists(p, ec))
        throw_infra("build " + build.sha256.substr(0, 12) + " (" + build.patch + "): file " + p.string() +
                    " is missing from the bundle");
    if (sha256_file(p) != build.sha256)
        throw_infra("build " + build.sha256.substr(0, 12) + " (" + build.patch + "): file " + p.string() +
                    " no longer matches its sha256; refusing to use it");
    return p;
}

void Bundle::write_manifest() {
    auto arr = nlohmann::json::array();
    for (const auto& b : list(std::nullopt)) {
        arr.push_back({{"patch", b.patch}, {"sha256", b.sha256}, {"size", b.size}, {"file", b.sha256 + ".ko"},
                       {"vermagic", b.vermagic}, {"srcversion", b.srcversion}, {"version", b.version},
                       {"kernel_release", b.kernel_release}, {"source_rev", b.source_rev},
                       {"series_hash", b.series_hash}, {"warnings", b.warnings}, {"origin", b.origin},
                       {"built_at", b.built_at}});
    }
    write_file_atomic(dir_ / "manifest.json", nlohmann::json{{"builds", arr}}.dump(2) + "\n");
}

}  // namespace besrig
