// The self-contained HTML report: one file, inline CSS and inline SVG charts
// (reports/render/svg.hpp), no script and no network fetch, so it opens from
// an artifact store or a mail attachment and prints on paper. Charts:
// per-second throughput per rep over the profile steps with kernel-event
// markers; per-step bars patch vs baseline with min..max whiskers; the event
// timeline. Tables repeat the Markdown comment's facts.
#pragma once

#include <string>
#include <vector>

#include "reports/render/model.hpp"

namespace besrig::report {

std::string render_html(const ReportModel& m);

// The page frame shared with the nightly report.
std::string html_page(const std::string& title, const std::string& body);
// An HTML table; cells are escaped; `align` holds 'l'/'r' per column.
std::string html_table(const std::vector<std::string>& header, const std::string& align,
                       const std::vector<std::vector<std::string>>& rows);
// "good" (PASS/EQUIVALENT/IMPROVED), "bad" (patch failures), "neutral".
std::string verdict_class(const std::string& verdict);

}  // namespace besrig::report
