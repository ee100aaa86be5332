// `besrig show RUN`: the run in a dozen terminal lines — verdict, identity,
// per-step figures against the baseline, receipts, events, forensics — and
// where to get the full report.
#pragma once

#include <string>

#include "reports/render/model.hpp"

namespace besrig::report {

std::string render_show(const ReportModel& m);

}  // namespace besrig::report
