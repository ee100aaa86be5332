#include "bench/figure.hpp"

#include <cmath>
#include <cstdio>

#include "util/table.hpp"

namespace besrig::bench {
namespace {

std::string number(double v) {
    char buf[64];
    const double a = std::fabs(v);
    std::snprintf(buf, sizeof buf, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    return buf;
}

}  // namespace

std::optional<bool> Figure::holds() const {
    if (!value || goal_op.empty()) return std::nullopt;
    if (goal_op == "<=") return *value <= goal;
    if (goal_op == "<") return *value < goal;
    if (goal_op == ">=") return *value >= goal;
    if (goal_op == "in") return *value >= goal && *value <= goal_hi;
    return std::nullopt;
}

nlohmann::json Figure::to_json() const {
    nlohmann::json j;
    j["name"] = name;
    j["label"] = label;
    j["value"] = value ? nlohmann::json(*value) : nlohmann::json();
    j["unit"] = unit;
    j["goal"] = goal_op.empty() ? nlohmann::json() : nlohmann::json{{"op", goal_op}, {"value", goal}};
    if (goal_op == "in") j["goal"]["high"] = goal_hi;
    const auto h = holds();
    j["holds"] = h ? nlohmann::json(*h) : nlohmann::json();
    j["note"] = note;
    j["detail"] = detail;
    return j;
}

std::string format_value(const Figure& f) {
    if (!f.value) return "not measured";
    return number(*f.value) + (f.unit.empty() ? "" : " " + f.unit);
}

std::string format_goal(const Figure& f) {
    if (f.goal_op.empty()) return "-";
    if (f.goal_op == "in") return number(f.goal) + " .. " + number(f.goal_hi) + (f.unit.empty() ? "" : " " + f.unit);
    return f.goal_op + " " + number(f.goal) + (f.unit.empty() ? "" : " " + f.unit);
}

std::string render_table(const std::vector<Figure>& figures) {
    TextTable t({"figure", "measured", "goal", "holds?", "note"});
    for (const auto& f : figures) {
        const auto h = f.holds();
        t.add({f.label, format_value(f), format_goal(f), h ? (*h ? "yes" : "NO") : "-", f.note});
    }
    return t.render();
}

}  // namespace besrig::bench
