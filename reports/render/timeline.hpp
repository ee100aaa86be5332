// The kernel-event timeline of a run, as one ordered list every renderer
// shares: classified kernel events (storms first-class), plus the wedge or
// host-down moment recorded in details_json. Ordered by rep, then offset;
// events before stress (offset unknown) come first in their rep.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/render/model.hpp"

namespace besrig::report {

struct TimelineEntry {
    std::optional<int> rep;
    std::optional<double> offset_s;  // since stress start of the rep
    std::string step;
    std::string kind;      // storm | splat | wedge | host-down | notice
    std::string severity;  // fail | warn | info
    std::string text;      // one line, already phrased for people
    std::string fingerprint;
};

std::vector<TimelineEntry> build_timeline(const ReportModel& m);

// "rep 1, +13.2 s (rx-4M)" / "before stress"; without the offset when the
// entry's text already says it ("WARN storm at +13 s: ...").
std::string where(const TimelineEntry& e);

}  // namespace besrig::report
