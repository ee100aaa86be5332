#include "reports/render/timeline.hpp"

#include <algorithm>

#include "reports/render/format.hpp"

namespace besrig::report {

std::vector<TimelineEntry> build_timeline(const ReportModel& m) {
    std::vector<TimelineEntry> out;
    bool storm_event = false;
    for (const auto& e : m.events) {
        TimelineEntry t{e.rep_idx, e.offset_s, e.step_name, "splat", e.severity, "", e.fingerprint};
        const std::string mod = e.module.empty() ? "" : " [" + e.module + "]";
        if (e.cls == "STORM") {
            storm_event = true;
            t.kind = "storm";
            t.text = e.offset_s ? storm_line(*e.offset_s, e.count, e.title, e.module)
                                : "storm: " + std::to_string(e.count) + " × " + e.title + mod;
        } else if (e.severity == "info") {
            t.kind = "notice";
            t.text = e.title + mod;
        } else {
            t.text = e.title + mod + (e.count > 1 ? " (" + std::to_string(e.count) + " ×)" : "");
        }
        out.push_back(std::move(t));
    }
    if (!storm_event) {
        if (auto off = number_at(m.details, "/storm/offset_s")) {
            const auto count = number_at(m.details, "/storm/count");
            out.push_back({std::nullopt, off, "", "storm", "fail",
                           storm_line(*off, count ? static_cast<std::int64_t>(*count) : 0,
                                      string_at(m.details, "/storm/title").value_or("splats"), ""),
                           ""});
        }
    }
    if (auto off = number_at(m.details, "/wedge/offset_s")) {
        const auto kind = string_at(m.details, "/wedge/kind").value_or("WEDGED");
        const auto detail = string_at(m.details, "/wedge/detail");
        std::optional<int> rep;
        for (const auto& r : m.reps)
            if (r.status == "failed") rep = r.idx;
        out.push_back({rep, off, "", kind == "HOST_DOWN" ? "host-down" : "wedge", "fail",
                       kind + " at " + offset(*off, true) + (detail ? ": " + *detail : ""), ""});
    }
    std::vector<TimelineEntry> kept;
    for (const auto& e : out) {
        const bool told = e.kind == "splat" && std::any_of(out.begin(), out.end(), [&](const TimelineEntry& s) {
                              return s.kind == "storm" && s.rep == e.rep && s.fingerprint == e.fingerprint;
                          });
        if (!told) kept.push_back(e);
    }
    out = std::move(kept);
    std::stable_sort(out.begin(), out.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
        const int ra = a.rep.value_or(0), rb = b.rep.value_or(0);
        if (ra != rb) return ra < rb;
        return a.offset_s.value_or(-1e9) < b.offset_s.value_or(-1e9);
    });
    return out;
}

std::string where(const TimelineEntry& e) {
    const bool with_offset = e.kind == "splat" || e.kind == "notice";
    std::string s = e.rep ? "rep " + std::to_string(*e.rep) : "";
    if (with_offset || !e.offset_s)
        s += (s.empty() ? "" : ", ") + (e.offset_s ? offset(*e.offset_s, e.kind != "splat") : std::string("before stress"));
    if (s.empty()) s = "run";
    if (!e.step.empty()) s += " (" + e.step + ")";
    return s;
}

}  // namespace besrig::report
