// The Markdown verdict comment (BRIEF §7), shaped like the developer's own
// Phase 7 notes: the verdict line first, then the facts that make it
// reproducible, the numbers, the receipts, the events, the forensics and the
// command to run it again. Tables stay narrow (a handful of short columns) so
// the comment reads in a Gitea/GitHub pane without horizontal scrolling.
#pragma once

#include <string>

#include "reports/render/model.hpp"

namespace besrig::report {

std::string render_markdown(const ReportModel& m);

// A Markdown table: header cells, a per-column alignment ('l' or 'r'), rows.
std::string md_table(const std::vector<std::string>& header, const std::string& align,
                     const std::vector<std::vector<std::string>>& rows);

// The line under the verdict, shared with `show`, HTML and JUnit:
// "c-prep vs b (run 1): pooled -0.4 % (90 % CI -1.8..+1.0 %)", or the reason.
std::string verdict_headline(const ReportModel& m);

// "Phase 7", "Phase 3 baseline", "Phase 6", or the run's kind.
std::string phase_title(const RunRecord& r);

}  // namespace besrig::report
