#include "phases/verdict.hpp"

#include <cstdio>

namespace besrig {
namespace {

std::string at_offset(const std::optional<double>& s) {
    if (!s) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, " at +%.0f s", *s);
    return buf;
}

}  // namespace

int exit_code_for_verdict(const std::string& v, bool bisect) {
    if (v == "PASS" || v == "EQUIVALENT" || v == "IMPROVED") return 0;
    if (v == "FAIL" || v == "WEDGED" || v == "HOST_DOWN" || v == "REGRESSED") return 1;
    if (v == "ABORTED") return 2;
    return bisect ? 125 : 2;  // INFRA_ERROR, INCONCLUSIVE
}

Verdict decide_verdict(const RunFacts& f, bool bisect) {
    Verdict v;
    if (f.infra_error) {
        v = {"INFRA_ERROR", "the rig failed, not the patch: " + f.infra_reason, 0};
    } else if (f.host_down) {
        v = {"HOST_DOWN", "management and data links both died" + (f.first_fail.empty() ? std::string() : " after " + f.first_fail), 0};
    } else if (f.wedged) {
        v = {"WEDGED", "data path dead while the management link answered" +
                           (f.wedge_detail.empty() ? std::string() : ": " + f.wedge_detail), 0};
    } else if (f.fail_events > 0 || f.storm) {
        std::string r = f.storm ? "WARN storm" + at_offset(f.first_fail_offset_s) + ": " + std::to_string(f.storm_count) + " × " + f.first_fail
                                : std::to_string(f.fail_events) + " kernel splat(s) under stress, first" +
                                      at_offset(f.first_fail_offset_s) + ": " + f.first_fail;
        v = {"FAIL", r, 0};
    } else if (!f.new_fingerprints.empty()) {
        v = {"FAIL", std::to_string(f.new_fingerprints.size()) + " kernel-log signature(s) the baseline does not show", 0};
    } else if (f.aborted) {
        v = {"ABORTED", "interrupted before a verdict", 0};
    } else if (f.comparison) {
        v = {*f.comparison, f.comparison_reason, 0};
    } else {
        v = {"PASS", "clean under stress (no baseline comparison)", 0};
    }
    // A run interrupted after a failure keeps the failure; one interrupted
    // while clean is ABORTED (checked above only when nothing else decided).
    if (f.aborted && (v.name == "PASS" || v.name == "EQUIVALENT" || v.name == "IMPROVED" || v.name == "INCONCLUSIVE" ||
                      v.name == "REGRESSED"))
        v = {"ABORTED", "interrupted before all repetitions finished", 0};
    v.exit_code = exit_code_for_verdict(v.name, bisect);
    return v;
}

}  // namespace besrig
