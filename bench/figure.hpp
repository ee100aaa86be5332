// One benchmark figure (BRIEF §9, issue 11): what was measured, its value,
// the goal beside it and whether it holds. A figure that could not be
// measured says why instead of inventing a number; `holds` is then empty.
// Every figure is measured by `besrig bench` in one run, side by side with
// what it is compared to (grep, scp, the stress time); nothing here asserts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace besrig::bench {

struct Figure {
    std::string name;     // short id for --only: "triage", "overhead", ...
    std::string label;    // "(g) triage throughput vs grep -E"
    std::optional<double> value;
    std::string unit;     // "x", "s", "MB", "records/s", "ms"
    std::string goal_op;  // "<=", ">=", "<", "in" (goal..goal_hi) or "" (no goal: reported only)
    double goal = 0;
    double goal_hi = 0;   // upper end for "in"
    std::string note;     // what the measurement includes, or why it is missing
    nlohmann::json detail = nlohmann::json::object();  // the raw numbers behind the value

    std::optional<bool> holds() const;
    nlohmann::json to_json() const;
};

// "0.93 x", "-" when not measured.
std::string format_value(const Figure& f);
std::string format_goal(const Figure& f);

// The table a person reads: figure | measured | goal | holds? | note.
std::string render_table(const std::vector<Figure>& figures);

}  // namespace besrig::bench
