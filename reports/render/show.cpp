#include "reports/render/show.hpp"

#include <sstream>

#include "reports/render/format.hpp"
#include "reports/render/markdown.hpp"
#include "reports/render/timeline.hpp"
#include "util/table.hpp"

namespace besrig::report {

std::string render_show(const ReportModel& m) {
    const auto& r = m.run;
    std::ostringstream o;
    o << "run " << r.id << "  " << r.kind << "  " << (r.patch.empty() ? "-" : r.patch) << "  "
      << (r.verdict.empty() ? r.status : r.verdict);
    if (r.exit_code) o << " (exit " << *r.exit_code << ")";
    o << "  " << utc_minute(r.started_at);
    if (m.duration_s()) o << ", " << duration(*m.duration_s());
    o << "\n  " << verdict_headline(m) << "\n";
    if (!r.reason.empty() && number_at(m.details, "/comparison/pooled/ratio")) o << "  " << r.reason << "\n";
    o << "  srcversion " << (m.build ? m.build->srcversion : std::string(k_not_measured)) << "  build "
      << short_sha(r.build_sha256) << "  kernel " << (r.kernel_release.empty() ? k_not_measured : r.kernel_release)
      << "  rig " << r.rig << "  profile " << (r.profile.empty() ? k_not_measured : r.profile) << "\n";
    if (!m.reps.empty()) {
        o << "  reps:";
        for (const auto& rep : m.reps)
            o << "  " << rep.idx << " " << rep.status << " @"
              << (rep.uptime_start_s ? fixed(*rep.uptime_start_s, 0) + " s" : std::string(k_not_measured));
        o << "\n";
    }
    if (!m.steps.empty()) {
        TextTable t({"step", "N", "mean", "min", "max", "baseline", "delta", "90 % CI"});
        for (const auto& s : m.steps) {
            std::string base = "-", delta = "-", ci = "-";
            if (const auto* steps = node_at(m.details, "/comparison/steps"); steps && steps->is_array())
                for (const auto& c : *steps)
                    if (string_at(c, "/step") == s.name) {
                        base = mbytes(number_at(c, "/base_mean"));
                        if (auto ratio = number_at(c, "/ratio")) delta = pct_from_ratio(*ratio);
                        ci = ratio_interval(number_at(c, "/lo"), number_at(c, "/hi"));
                    }
            t.add({s.name, std::to_string(s.n), mbytes(s.mean), mbytes(s.min), mbytes(s.max), base, delta, ci});
        }
        std::istringstream lines(t.render());
        for (std::string line; std::getline(lines, line);) o << "  " << line << "\n";
    }
    if (!m.receipts.empty()) {
        int ok = 0;
        for (const auto& x : m.receipts) ok += x.ok;
        o << "  receipts " << ok << "/" << m.receipts.size();
        for (const auto& x : m.receipts)
            if (!x.ok) o << "\n    [ ] " << x.item;
        o << "\n";
    }
    const auto tl = build_timeline(m);
    int shown = 0;
    for (const auto& e : tl)
        if (e.severity != "info" && shown++ < 4) o << "  " << where(e) << ": " << e.text << "\n";
    if (shown == 0) o << "  no kernel events under stress\n";
    if (!m.artifacts.empty()) {
        std::int64_t total = 0;
        int failed = 0;
        for (const auto& a : m.artifacts) {
            total += a.size;
            failed += a.status != "ok";
        }
        o << "  forensics: " << m.artifacts.size() << " items (" << failed << " failed), " << size(total) << "\n";
    }
    o << "  full report: besrig report " << r.id << " --format markdown|html|json|junit";
    return o.str();
}

}  // namespace besrig::report
