// The machine-readable report (schema "besrig.report/1", docs/report-json.md).
// Stable: keys are only ever added within /1; anything renamed or removed
// bumps the schema. What was not measured is null, never 0.
#pragma once

#include <nlohmann/json.hpp>

#include "reports/render/model.hpp"

namespace besrig::report {

inline constexpr const char* k_report_schema = "besrig.report/1";

nlohmann::json report_json(const ReportModel& m);

}  // namespace besrig::report
