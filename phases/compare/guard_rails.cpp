#include "phases/compare/guard_rails.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>

namespace besrig::compare {
namespace {

std::string run_name(const RunData& d) { return "run " + std::to_string(d.run.id); }

void differ(std::vector<std::string>& out, const std::string& what, const std::string& a, const std::string& b) {
    if (a != b) out.push_back(what + " differs: baseline '" + a + "', patch '" + b + "'");
}

// Compares one JSON pointer in both config snapshots, if both have it.
void config_differ(std::vector<std::string>& out, const nlohmann::json& a, const nlohmann::json& b,
                   const std::string& pointer, const std::string& what) {
    const nlohmann::json::json_pointer p(pointer);
    if (!a.contains(p) || !b.contains(p)) return;
    if (a.at(p) != b.at(p))
        out.push_back(what + " differs (" + pointer + "): baseline " + a.at(p).dump() + ", patch " + b.at(p).dump());
}

bool usable_status(const std::string& s) {
    return s != "running" && s != "aborted" && s != "failed" && s != "error";
}

}  // namespace

std::vector<std::string> run_guard_rails(const RunData& base, const RunData& patch) {
    std::vector<std::string> out;
    if (base.run.id == patch.run.id) out.push_back("a run compared with itself");
    differ(out, "rig", base.run.rig, patch.run.rig);
    differ(out, "kernel release", base.run.kernel_release, patch.run.kernel_release);
    differ(out, "stress profile", base.run.profile, patch.run.profile);
    // A run still in progress is incomplete, unless it is the one this
    // process is judging as its last step (Phase 7 compares before it closes).
    for (const auto* d : {&base, &patch})
        if (d->run.status == "running" && d->run.pid != static_cast<std::int64_t>(::getpid()))
            out.push_back(run_name(*d) + " is still running");
    const auto a = nlohmann::json::parse(base.config_json, nullptr, false);
    const auto b = nlohmann::json::parse(patch.config_json, nullptr, false);
    if (a.is_object() && b.is_object() && base.run.profile == patch.run.profile && !base.run.profile.empty()) {
        const std::string prof = "/profiles/" + base.run.profile;
        config_differ(out, a, b, prof + "/fresh_chip", "fresh-chip state");
        config_differ(out, a, b, prof + "/steps", "ramp steps");
        config_differ(out, a, b, "/ftrace", "instrumentation (ftrace)");
        config_differ(out, a, b, "/phase7/counters", "instrumentation (counters)");
    }
    return out;
}

std::vector<const RepData*> usable_reps(const RunData& run, const char* which, std::vector<std::string>& notes) {
    std::vector<const RepData*> out;
    for (const auto& r : run.reps) {
        std::string why;
        if (!usable_status(r.status)) why = "status " + r.status;
        else if (r.steps.empty()) why = "no steps";
        for (const auto& s : r.steps)
            if (why.empty() && !s.mean_mbytes) why = "step " + s.name + " has no throughput";
        if (why.empty()) out.push_back(&r);
        else notes.push_back(std::string(which) + " rep " + std::to_string(r.idx) + " left out: " + why);
    }
    return out;
}

std::vector<std::string> step_guard_rails(const std::vector<const RepData*>& base,
                                          const std::vector<const RepData*>& patch) {
    std::vector<std::string> out;
    if (base.empty()) return out;
    const auto& ref = base.front()->steps;
    auto check = [&](const RepData& r, const char* which) {
        if (r.steps.size() != ref.size()) {
            out.push_back(std::string(which) + " rep " + std::to_string(r.idx) + " has " +
                          std::to_string(r.steps.size()) + " steps, baseline rep " +
                          std::to_string(base.front()->idx) + " has " + std::to_string(ref.size()));
            return;
        }
        for (std::size_t i = 0; i < ref.size(); ++i) {
            if (r.steps[i].shape() != ref[i].shape()) {
                out.push_back(std::string(which) + " rep " + std::to_string(r.idx) + " step '" + r.steps[i].shape() +
                              "' differs from baseline '" + ref[i].shape() + "'");
                return;
            }
        }
    };
    for (const auto* r : base) check(*r, "baseline");
    for (const auto* r : patch) check(*r, "patch");
    return out;
}

}  // namespace besrig::compare
