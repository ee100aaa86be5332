// JUnit XML for CI systems that already read it: one <testsuite> per run;
// one <testcase> for the verdict, one per repetition and one per profile step
// of each repetition, one per predicted metric. A failed rep carries a
// <failure> with the reason (step error and the kernel events of that rep);
// an infrastructure error is an <error>, never a failure of the patch.
#pragma once

#include <string>

#include "reports/render/model.hpp"

namespace besrig::report {

std::string render_junit(const ReportModel& m);

}  // namespace besrig::report
