#include "phases/nightly/runner.hpp"

#include "phases/phase7/launch.hpp"
#include "reports/store/store.hpp"
#include "util/error.hpp"
#include "util/interrupt.hpp"
#include "util/terminal.hpp"

namespace besrig::nightly {
namespace {

std::string run_text(const std::optional<std::int64_t>& id) { return id ? "run " + std::to_string(*id) : "no run"; }

bool patch_failed(const std::string& verdict) {
    return verdict == "FAIL" || verdict == "WEDGED" || verdict == "HOST_DOWN" || verdict == "REGRESSED";
}

bool not_judged(const std::string& verdict) {
    return verdict == "INFRA_ERROR" || verdict == "ABORTED" || verdict == "NOT_RUN";
}

}  // namespace

Runner::Runner(const RigConfig& config, Store& store, SessionFactory& sessions, Console& console, LogLine log)
    : config_(config), store_(store), sessions_(sessions), console_(console), log_(std::move(log)) {}

std::optional<std::int64_t> Runner::resolve_baseline(const Plan& plan, NightResult& night) {
    if (plan.baseline_run) {
        const auto run = store_.run(*plan.baseline_run);
        if (!run) {
            night.baseline_problem = "baseline run " + std::to_string(*plan.baseline_run) + " is not in the store";
            return std::nullopt;
        }
        log_("baseline: run " + std::to_string(run->id) + " (" + run->patch + ", from the nightly config)");
        return run->id;
    }
    auto session = sessions_.open(config_.rollback_patch);
    auto ports = session->ports(config_);
    const std::string kernel = ports.board.kernel_release();
    if (auto id = phase7::latest_baseline(store_, config_.board.name, plan.profile, kernel)) {
        log_("baseline: run " + std::to_string(*id) + " (latest for rig " + config_.board.name + ", profile " +
             plan.profile + ", kernel " + kernel + ")");
        return id;
    }
    log_("no baseline for rig " + config_.board.name + ", profile " + plan.profile + ", kernel " + kernel +
         ": running the baseline first (Phase 3 on " + config_.rollback_patch + ")");
    phase7::Request r;
    r.patch = config_.rollback_patch;
    r.profile = plan.profile;
    r.reps = plan.reps;
    r.is_baseline = true;
    r.command = plan.command;
    phase7::Protocol protocol(config_, store_, session->bundle(), ports, console_);
    const auto out = protocol.run(r);
    night.baseline_ran = true;
    log_("baseline " + config_.rollback_patch + ": " + out.verdict.name + " (run " + std::to_string(out.run_id) + "): " +
         out.verdict.reason);
    if (out.verdict.name != "PASS") {
        night.baseline_problem = "the baseline run " + std::to_string(out.run_id) + " ended " + out.verdict.name + ": " +
                                 out.verdict.reason;
        return std::nullopt;
    }
    return out.run_id;
}

PatchResult Runner::run_patch(const Plan& plan, const NightlyPatch& patch, std::int64_t baseline_run) {
    PatchResult res;
    res.patch = patch.name;
    RigConfig config = config_;
    if (patch.margin_pct) config.compare.margin_pct = *patch.margin_pct;
    phase7::Request r;
    r.patch = patch.name;
    r.profile = plan.profile;
    r.reps = plan.reps;
    r.interleave = plan.interleave;
    r.baseline_run = baseline_run;
    r.command = plan.command;
    const bool predicted = phase7::has_prediction(store_, patch.name);
    r.expect = phase7::resolve_expect(store_, patch.name, patch.expect);
    log_(patch.name + ": Phase 7, profile " + plan.profile + " × " + std::to_string(plan.reps) +
         (plan.interleave ? " interleaved" : "") + ", expect " + r.expect +
         (r.expect == "no-delta" ? " (margin ±" + std::to_string(config.compare.margin_pct).substr(0, 4) + " %)" : "") +
         (predicted ? "" : ", no Phase 5 prediction"));
    auto session = sessions_.open(patch.name);
    if (predicted) phase7::freeze_prediction(store_, patch.name);
    phase7::Protocol protocol(config, store_, session->bundle(), session->ports(config), console_);
    const auto out = protocol.run(r);
    res.run_id = out.run_id;
    res.verdict = out.verdict.name;
    res.reason = out.verdict.reason + (predicted ? "" : " (no Phase 5 prediction)");
    res.exit_code = out.verdict.exit_code;
    if (out.details.contains("comparison") && out.details["comparison"].contains("prediction")) {
        const auto& p = out.details["comparison"]["prediction"];
        res.reason += "; prediction " + p.value("spec", std::string()) + ": " + p.value("judgement", std::string());
    }
    return res;
}

NightResult Runner::run(const Plan& plan) {
    NightResult night;
    log_("nightly: " + std::to_string(plan.patches.size()) + " patch(es) on board " + config_.board.name + ", profile " +
         plan.profile + ", " + std::to_string(plan.reps) + " repetition(s) each" + (plan.interleave ? ", interleaved" : ""));
    try {
        night.baseline_run = resolve_baseline(plan, night);
    } catch (const std::exception& e) {
        night.baseline_problem = std::string("cannot find or run the baseline: ") + e.what();
    }
    for (const auto& patch : plan.patches) {
        PatchResult res;
        res.patch = patch.name;
        if (interrupted()) {
            night.interrupted = true;
            res = {patch.name, std::nullopt, "NOT_RUN", "interrupted before it started", 2};
        } else if (!night.baseline_run) {
            res = {patch.name, std::nullopt, "NOT_RUN", "no baseline: " + night.baseline_problem, 2};
        } else {
            try {
                res = run_patch(plan, patch, *night.baseline_run);
            } catch (const Error& e) {
                res = {patch.name, std::nullopt, "NOT_RUN", e.what(), 2};
            } catch (const std::exception& e) {
                res = {patch.name, std::nullopt, "NOT_RUN", std::string("internal error: ") + e.what(), 2};
            }
        }
        log_(patch.name + ": " + res.verdict + " (" + run_text(res.run_id) + "): " + res.reason);
        night.patches.push_back(std::move(res));
    }
    if (interrupted()) night.interrupted = true;
    return night;
}

int overall_exit(const NightResult& night, int report_exit) {
    bool failed = report_exit == 1, infra = report_exit != 0 && report_exit != 1;
    infra = infra || !night.baseline_problem.empty() || night.interrupted;
    for (const auto& p : night.patches) {
        failed = failed || patch_failed(p.verdict);
        infra = infra || not_judged(p.verdict);
    }
    return failed ? 1 : infra ? 2 : 0;
}

}  // namespace besrig::nightly
