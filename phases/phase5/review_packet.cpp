#include "phases/phase5/review_packet.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "reports/stats/descriptive.hpp"
#include "util/fs.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"
#include "util/terminal.hpp"

namespace besrig::phase5 {
namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

std::string baseline_section(const compare::RunData& b) {
    std::string out = "Baseline run " + std::to_string(b.run.id) + " (patch " + b.run.patch + ", profile " +
                      b.run.profile + ", kernel " + b.run.kernel_release + ", build " +
                      (b.run.build_sha256.empty() ? "not recorded" : b.run.build_sha256.substr(0, 12)) + ").\n\n";
    if (b.reps.empty() || b.reps.front().steps.empty()) return out + "Throughput: not measured.\n";
    out += "| step | dir | N | mean MB/s | median | min | max | sd | CV |\n|---|---|---|---|---|---|---|---|---|\n";
    const auto& ref = b.reps.front().steps;
    for (std::size_t s = 0; s < ref.size(); ++s) {
        std::vector<double> v;
        for (const auto& r : b.reps)
            if (s < r.steps.size() && r.steps[s].mean_mbytes) v.push_back(*r.steps[s].mean_mbytes);
        const auto sum = stats::summarize(v);
        char cv[32];
        std::snprintf(cv, sizeof cv, "%.1f %%", sum.mean > 0 ? 100.0 * sum.sd / sum.mean : 0.0);
        out += "| " + ref[s].name + " | " + ref[s].direction + " | " + std::to_string(sum.n) + " | " + num(sum.mean) +
               " | " + num(sum.median) + " | " + num(sum.min) + " | " + num(sum.max) + " | " + num(sum.sd) + " | " + cv +
               " |\n";
    }
    out += "\nFailing kernel-log signatures in the baseline: ";
    if (b.failing.empty()) out += "none.\n";
    for (const auto& k : b.failing) out += "\n- " + k.cls + " " + k.title + " ×" + std::to_string(k.count);
    return out + "\n";
}

}  // namespace

PatchSeries read_patch_series(const std::filesystem::path& dir) {
    PatchSeries s;
    s.dir = dir;
    std::vector<std::filesystem::path> paths;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.is_regular_file() && e.path().extension() == ".patch") paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    std::string all;
    for (const auto& p : paths) {
        SeriesFile f;
        f.name = p.filename().string();
        const std::string text = read_file(p);
        f.size = text.size();
        for (const auto& line : split_lines(text)) {
            if (line.starts_with("+++") || line.starts_with("---")) continue;
            if (line.starts_with("+")) ++f.added;
            else if (line.starts_with("-")) ++f.removed;
        }
        all += f.name + "\n" + text;
        s.files.push_back(std::move(f));
    }
    s.hash = sha256_hex(all);
    return s;
}

std::string render_review_packet(const PacketInput& in) {
    std::string out = "# Review packet: patch " + in.patch + " (Phase 5)\n\nGenerated " + utc_timestamp() +
                      " UTC by besrig. Decide with `besrig review approve|reject --patch " + in.patch +
                      " --note ...`.\n\n## Baseline\n\n";
    out += in.baseline ? baseline_section(*in.baseline) : "No baseline run yet: not measured. Run `besrig baseline`.\n";

    out += "\n## Prediction (pre-registered)\n\n| metric | predicted |\n|---|---|\n";
    for (const auto& p : in.predictions) out += "| " + p.metric + " | " + stats::describe_range(p) + " |\n";
    out += "\nHash `" + in.prediction_hash + "`. Frozen when Phase 7 of " + in.patch +
           " starts; it cannot be changed after that.\n";

    out += "\n## Patch series\n\n";
    if (in.series.files.empty()) {
        out += "No patches in " + in.series.dir.string() + " (the unmodified source).\n";
    } else {
        out += "| file | bytes | + | - |\n|---|---|---|---|\n";
        int add = 0, rem = 0;
        for (const auto& f : in.series.files) {
            out += "| " + f.name + " | " + std::to_string(f.size) + " | " + std::to_string(f.added) + " | " +
                   std::to_string(f.removed) + " |\n";
            add += f.added;
            rem += f.removed;
        }
        out += "\n" + std::to_string(in.series.files.size()) + " file(s), " + std::to_string(add) + " insertion(s)(+), " +
               std::to_string(rem) + " deletion(s)(-).\n";
    }
    out += "Series hash `" + in.series.hash + "`.\n";

    out += "\n## Protocol Phase 7 will run\n\n";
    out += "Profile `" + in.profile_name + "`, N = " + std::to_string(in.reps) + " repetitions";
    if (in.profile) {
        out += ", fresh chip by " + in.profile->fresh_chip + ", each started before " +
               format_seconds(in.profile->uptime_window_s) + " of board uptime.\n\n";
        out += "| # | step | dir | offered MB/s | streams | seconds | warm-up omitted |\n|---|---|---|---|---|---|---|\n";
        int i = 1;
        for (const auto& s : in.profile->steps) {
            char rate[32];
            std::snprintf(rate, sizeof rate, "%g", s.rate_mbytes);
            out += "| " + std::to_string(i++) + " | " + s.name + " | " + s.direction + " | " +
                   (s.rate_mbytes > 0 ? std::string(rate) : "unlimited") + " | " + std::to_string(s.streams) + " | " +
                   std::to_string(s.seconds) + " | " + std::to_string(s.omit) + " |\n";
        }
    } else {
        out += ".\n";
    }
    char margin[32];
    std::snprintf(margin, sizeof margin, "%g", in.margin_pct);
    out += "\nComparison: Welch intervals on log throughput per step and pooled over steps (docs/statistics.md); "
           "a no-delta prediction is tested by TOST with a ±" + std::string(margin) + " % margin.\n";

    out += "\n## Receipts Phase 7 will demand\n\n"
           "- [ ] N repetitions, each on a fresh chip inside the uptime window\n"
           "- [ ] same boot, instrumentation and access point (SSID, BSSID, channel) as the baseline\n"
           "- [ ] running module identity (srcversion) proven before and after\n"
           "- [ ] predicted delta verified against this prediction\n"
           "- [ ] no WARN/BUG/oops under stress\n"
           "- [ ] only kernel-log signatures the baseline also shows\n";
    return out;
}

}  // namespace besrig::phase5
