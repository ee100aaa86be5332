#include "driver/bundle/kbuild.hpp"

#include <algorithm>
#include <set>

#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"

namespace besrig {

std::vector<std::string> compiler_warnings(const std::string& log) {
    std::set<std::string> out;
    for (const auto& line : split_lines(log)) {
        const auto w = line.find(": warning: ");
        if (w == std::string::npos) continue;
        // "path/file.c:123:45: warning: text" -> "file.c: warning: text"
        std::string where = line.substr(0, w);
        const auto colon = where.find(':');
        if (colon != std::string::npos) where.resize(colon);
        const auto slash = where.rfind('/');
        if (slash != std::string::npos) where = where.substr(slash + 1);
        out.insert(where + ": warning: " + std::string(trim(line.substr(w + 11))));
    }
    return {out.begin(), out.end()};
}

std::string tree_hash(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != std::filesystem::end(it);
         it.increment(ec)) {
        if (!it->is_regular_file()) continue;
        const auto name = it->path().filename().string();
        // Build products never count as inputs.
        if (name.starts_with(".") || ends_with(name, ".o") || ends_with(name, ".ko") || ends_with(name, ".mod") ||
            ends_with(name, ".mod.c") || name == "Module.symvers" || name == "modules.order")
            continue;
        files.push_back(std::filesystem::relative(it->path(), dir));
    }
    if (ec) throw_infra(dir.string() + ": cannot read the source tree: " + ec.message());
    std::sort(files.begin(), files.end());
    Sha256 h;
    for (const auto& f : files) {
        h.update(f.string());
        h.update("\0", 1);
        h.update(sha256_file(dir / f));
    }
    return h.hex_digest();
}

std::vector<std::filesystem::path> series_files(const std::filesystem::path& series_dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    if (!std::filesystem::is_directory(series_dir, ec))
        throw_usage(series_dir.string() + ": no such patch series (a directory of *.patch files)");
    for (const auto& e : std::filesystem::directory_iterator(series_dir))
        if (e.is_regular_file() && e.path().extension() == ".patch") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::string series_hash(const std::filesystem::path& series_dir) {
    Sha256 h;
    for (const auto& f : series_files(series_dir)) {
        h.update(f.filename().string());
        h.update("\0", 1);
        h.update(sha256_file(f));
    }
    return h.hex_digest();
}

std::string default_kdir() {
    std::vector<std::string> candidates;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/lib/modules", ec))
        if (std::filesystem::exists(e.path() / "build" / "Makefile")) candidates.push_back((e.path() / "build").string());
    if (candidates.empty())
        throw_infra("no kernel headers under /lib/modules/*/build; install linux-headers-amd64 "
                    "(or set driver.kdir)");
    std::sort(candidates.begin(), candidates.end());
    return candidates.back();
}

KbuildOutcome run_kbuild(ProcessRunner& runner, const KbuildRequest& r) {
    if (!find_program("make")) throw_infra("make: not found; install build-essential");
    ProcessSpec spec;
    spec.argv = {"make", "--no-print-directory", "-f", r.makefile.string(), "SRC=" + r.src.string(),
                 "PATCHES=" + r.patches_dir.string(), "PATCH=" + r.patch, "KDIR=" + (r.kdir.empty() ? default_kdir() : r.kdir),
                 "O=" + r.out_dir.string()};
    if (!r.arch.empty()) spec.argv.push_back("ARCH=" + r.arch);
    if (!r.cross_compile.empty()) spec.argv.push_back("CROSS_COMPILE=" + r.cross_compile);
    spec.timeout = std::chrono::minutes(20);
    KbuildOutcome o;
    o.process = runner.run(spec);
    o.warnings = compiler_warnings(o.process.out + "\n" + o.process.err);
    o.ko = r.out_dir / (r.module_name + ".ko");
    return o;
}

}  // namespace besrig
