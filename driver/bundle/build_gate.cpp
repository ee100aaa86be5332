#include "driver/bundle/build_gate.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "driver/bundle/kbuild.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"
#include "util/terminal.hpp"

namespace besrig {
namespace {

std::string tail_lines(const std::string& text, std::size_t n) {
    auto lines = split_lines(text);
    if (lines.size() > n) lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(n));
    return join(lines, "\n");
}

std::string headers_release(const std::string& kdir) {
    try {
        return std::string(trim(read_file(std::filesystem::path(kdir) / "include/config/kernel.release")));
    } catch (const Error&) {
        return kdir;
    }
}

}  // namespace

void check_patch_name(const std::string& patch) {
    const bool ok = !patch.empty() && patch.size() <= 64 && patch.front() != '.' && patch.find("..") == std::string::npos &&
                    std::all_of(patch.begin(), patch.end(), [](unsigned char c) {
                        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
                    });
    if (!ok)
        throw_usage("patch name '" + printable(patch, 80) +
                    "': expected letters, digits, '-', '_' or '.' (at most 64, not starting with '.')");
}

BuildGateResult build_patch(const RigConfig& config, Bundle& bundle, ProcessRunner& runner, const std::string& patch,
                            bool force, Console& console) {
    check_patch_name(patch);
    KbuildRequest req;
    req.makefile = besrig_data_dir() / "Makefile.kbuild";
    req.src = resolve_data_path(config.driver.src);
    req.patches_dir = resolve_data_path(config.driver.patches_dir);
    req.patch = patch;
    req.kdir = config.driver.kdir.empty() ? default_kdir() : expand_home(config.driver.kdir).string();
    req.arch = config.driver.arch;
    req.cross_compile = config.driver.cross_compile;
    req.module_name = config.module.name;

    const auto series = series_hash(req.patches_dir / patch);
    const auto source = tree_hash(req.src);
    Sha256 inputs;
    for (const auto& part : {source, series, headers_release(req.kdir), req.arch, req.cross_compile,
                             sha256_file(req.makefile)}) {
        inputs.update(part);
        inputs.update("\n");
    }
    const auto inputs_hash = inputs.hex_digest();

    BuildGateResult result;
    if (!force) {
        if (auto existing = bundle.by_inputs(inputs_hash); existing && existing->patch == patch) {
            bundle.verified_file(*existing);
            result.build = *existing;
            result.reused = true;
            return result;
        }
    }

    const auto out_dir = expand_home(config.driver.bundle_dir) / "work" / (patch + "-" + inputs_hash.substr(0, 12));
    std::filesystem::remove_all(out_dir);
    std::filesystem::create_directories(out_dir.parent_path());
    req.out_dir = out_dir;
    console.info("building " + patch + " (" + req.src.string() + " + " + std::to_string(series_files(req.patches_dir / patch).size()) +
                 " patch(es)) against " + req.kdir);
    const auto outcome = run_kbuild(runner, req);
    result.log_path = (out_dir.parent_path() / (patch + "-" + inputs_hash.substr(0, 12) + ".log")).string();
    write_file_atomic(result.log_path, outcome.process.out + outcome.process.err);
    if (!outcome.process.success())
        throw Error(ErrorKind::PatchFailure, "build of patch '" + patch + "' failed (" + outcome.process.describe() +
                                                 "); log: " + result.log_path + "\n" +
                                                 tail_lines(outcome.process.out + outcome.process.err, 15));

    // The warning gate: anything the baseline build does not have fails the patch.
    if (patch != config.rollback_patch) {
        std::set<std::string> baseline;
        if (auto base = bundle.latest(config.rollback_patch))
            for (const auto& w : split_lines(base->warnings_text)) baseline.insert(w);
        for (const auto& w : outcome.warnings)
            if (!baseline.count(w)) result.new_warnings.push_back(w);
        if (!result.new_warnings.empty())
            throw Error(ErrorKind::PatchFailure,
                        "patch '" + patch + "' adds " + std::to_string(result.new_warnings.size()) +
                            " compiler warning(s) the baseline build does not have:\n  " +
                            join(result.new_warnings, "\n  ") + "\nlog: " + result.log_path);
    }

    BuildMeta meta;
    meta.patch = patch;
    meta.origin = "build";
    meta.source_rev = source.substr(0, 16);
    meta.series_hash = series;
    meta.inputs_hash = inputs_hash;
    meta.warnings = static_cast<int>(outcome.warnings.size());
    meta.warnings_text = join(outcome.warnings, "\n");
    result.build = bundle.add(outcome.ko, meta);
    return result;
}

void check_vermagic(const BuildRecord& build, const std::string& board_release) {
    if (build.kernel_release != board_release)
        throw_infra("build " + build.sha256.substr(0, 12) + " (" + build.patch + ") has vermagic \"" + build.vermagic +
                    "\" but the board runs kernel \"" + board_release + "\"; rebuild against that kernel's headers");
}

}  // namespace besrig
