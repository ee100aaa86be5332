// From what a run observed to its verdict and exit code (BRIEF §5). Pure, so
// every combination is unit-tested. Precedence: infrastructure trouble is
// never blamed on the patch; then the patch's worst failure; then the numbers.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace besrig {

struct RunFacts {
    bool aborted = false;          // Ctrl-C / SIGTERM
    bool infra_error = false;      // the rig or controller failed
    std::string infra_reason;
    bool host_down = false;        // management and data both dead
    bool wedged = false;           // data dead, management alive
    std::string wedge_detail;
    int fail_events = 0;           // kernel splats of severity fail under stress
    std::string first_fail;        // e.g. "WARNING in wsm_release_tx_buffer"
    std::optional<double> first_fail_offset_s;
    bool storm = false;
    int storm_count = 0;
    std::vector<std::string> new_fingerprints;  // relative to the baseline
    std::optional<std::string> comparison;      // EQUIVALENT | REGRESSED | IMPROVED | INCONCLUSIVE
    std::string comparison_reason;
};

struct Verdict {
    std::string name;  // PASS, FAIL, WEDGED, HOST_DOWN, REGRESSED, IMPROVED, EQUIVALENT, INCONCLUSIVE, INFRA_ERROR, ABORTED
    std::string reason;
    int exit_code = 0;
};

Verdict decide_verdict(const RunFacts& facts, bool bisect);
// 0 for PASS/EQUIVALENT/IMPROVED; 1 for FAIL/WEDGED/HOST_DOWN/REGRESSED;
// 2 for INFRA_ERROR, INCONCLUSIVE and ABORTED (125 under --bisect for the
// first two: git bisect should skip a commit the rig could not judge).
int exit_code_for_verdict(const std::string& verdict, bool bisect);

}  // namespace besrig
