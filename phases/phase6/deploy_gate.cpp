#include "phases/phase6/deploy_gate.hpp"

#include <chrono>

#include "driver/bundle/build_gate.hpp"
#include "phases/rollback.hpp"
#include "reports/store/store.hpp"
#include "util/interrupt.hpp"
#include "util/strings.hpp"
#include "util/terminal.hpp"

namespace besrig::phase6 {
namespace {

std::chrono::milliseconds ms(double s) { return std::chrono::milliseconds(static_cast<long long>(s * 1000)); }

// A step of the gate that failed, and whose fault it is.
struct GateFailure {
    ErrorKind kind;
    std::string what;
};

}  // namespace

DeployGate::DeployGate(const RigConfig& config, Store& store, Bundle& bundle, phases::Board& board,
                       phases::Traffic& traffic, phases::LogWatch& log, BuildGate build, Console& console)
    : config_(config), store_(store), bundle_(bundle), board_(board), traffic_(traffic), log_(log),
      build_(std::move(build)), console_(console) {}

Outcome DeployGate::run(const Request& req) {
    check_patch_name(req.patch);
    NewRun nr;
    nr.kind = "phase6";
    nr.patch = req.patch;
    nr.rig = config_.board.name;
    nr.command = req.command;
    Outcome out;
    out.run_id = store_.begin_run(nr);
    const auto id = out.run_id;
    const auto step = [&](const std::string& name, const std::string& msg) {
        store_.log(id, "info", name, msg);
        console_.info(name + ": " + msg);
    };
    // The board's own steps (upload, verify, unload, an escalation after a
    // hung rmmod) go to this run's log; the guard detaches it on every exit.
    board_.set_step_log([&](const std::string& name, const std::string& msg, double seconds, bool ok) {
        store_.log(id, ok ? "info" : "error", name, msg, seconds);
        if (!ok) console_.warn(name + ": " + msg);
    });
    struct Detach {
        phases::Board& b;
        ~Detach() { b.set_step_log({}); }
    } detach{board_};

    RunFacts facts;
    bool board_changed = false;
    bool log_started = false;
    bool server_started = false;
    std::optional<BuildRecord> rollback_build;
    try {
        // 1. Build gate (the rollback build too: no run changes a board it cannot restore).
        rollback_build = build_(config_.rollback_patch);
        const BuildRecord build = req.patch == config_.rollback_patch ? *rollback_build : build_(req.patch);
        store_.set_run_build(id, build.sha256);
        step("build", build.patch + " " + build.sha256.substr(0, 12) + " srcversion " + build.srcversion + ", " +
                          std::to_string(build.warnings) + " warning(s), none new");
        // 2. Preflight.
        const auto release = board_.kernel_release();
        store_.set_run_kernel(id, release);
        check_vermagic(build, release);
        check_vermagic(*rollback_build, release);
        const auto problems = board_.preflight_problems();
        if (!problems.empty()) throw_infra("preflight: " + join(problems, "; "));
        step("preflight", "kernel " + release + " matches vermagic; tools and space present");
        // 3. Deploy and load, proving the running module.
        log_.start(id);
        log_started = true;
        board_.mark_log("besrig: run " + std::to_string(id) + " phase6 deploy " + req.patch);
        board_changed = true;
        board_.install(build);
        board_.reload(build);
        const auto running = board_.running_module();
        if (running.srcversion != build.srcversion)
            throw Error(ErrorKind::PatchFailure, "loaded module is not the build: running srcversion " +
                                                     running.srcversion + ", expected " + build.srcversion);
        step("load", "running srcversion " + running.srcversion + " proven");
        // 4. Data link.
        const auto address = board_.wait_data_link(ms(config_.timeouts.link_up_s));
        step("link", config_.board.data.interface + " up with " + address);
        // 5. Smoke traffic each way.
        traffic_.start_server();
        server_started = true;
        for (const char* dir : {"rx", "tx"}) {
            StepConfig s;
            s.name = std::string("smoke-") + dir;
            s.direction = dir;
            s.seconds = req.smoke_seconds;
            s.omit = 0;
            double total = 0;
            int n = 0;
            const auto r = traffic_.run_step(
                s, address, [&](const phases::Sample& x) { total += x.mbytes_per_s; ++n; },
                [&] { return !interrupted() && log_.status().fail_events == 0; });
            if (interrupted()) throw_infra("interrupted");
            if (r.status == phases::StepResult::Status::ServerDied) throw_infra("iperf3 server died: " + r.error);
            // As in Phase 7: a client that failed (iperf3 error, garbled or cut output) is the
            // rig's problem; a data path that carries nothing is the patch's (below).
            if (r.status == phases::StepResult::Status::ClientFailed && n > 0)
                throw_infra("iperf3 client failed in " + s.name + ": " + r.error);
            if (const auto st = log_.status(); st.fail_events > 0)
                throw Error(ErrorKind::PatchFailure, "kernel splat during smoke traffic: " + st.first_fail.value_or("splat"));
            if (n == 0 || total <= 0)
                throw Error(ErrorKind::PatchFailure, config_.board.data.interface + " moved no traffic in direction " +
                                                         dir + (r.error.empty() ? "" : ": " + r.error));
            step(s.name, std::to_string(total / n).substr(0, 5) + " MB/s over " + std::to_string(n) + " s");
        }
        // 6. Clean kernel log since load.
        const auto st = log_.status();
        if (st.fail_events > 0)
            throw Error(ErrorKind::PatchFailure, "kernel log not clean since load: " + st.first_fail.value_or("splat"));
        step("log", "kernel log clean since load");
    } catch (const phases::BoardUnreachable& e) {
        facts.infra_error = !board_changed;
        facts.host_down = board_changed;
        facts.infra_reason = e.what();
        console_.warn(e.what());
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::PatchFailure) {
            facts.fail_events = 1;
            facts.first_fail = e.what();
        } else if (interrupted()) {
            facts.aborted = true;
        } else {
            facts.infra_error = true;
            facts.infra_reason = e.what();
        }
        console_.warn(e.what());
    }
    if (log_started) {
        const auto st = log_.status();
        if (st.fail_events > 0 && facts.fail_events == 0) {
            facts.fail_events = st.fail_events;
            facts.first_fail = st.first_fail.value_or("kernel splat");
        }
        log_.stop();
    }
    if (server_started) traffic_.stop_server();
    const bool failed = facts.fail_events > 0 || facts.host_down || facts.infra_error || facts.aborted;
    if (failed && board_changed && rollback_build) {
        if (interrupt_count() < 2) {
            phases::roll_back(board_, *rollback_build, store_, id, console_);
        } else {
            // A second Ctrl-C: the user wants out now. Say what that leaves behind.
            const std::string note = "second interrupt: rollback skipped; the board may still run " + req.patch +
                                     "; recorded as pending (run `besrig rollback`)";
            store_.set_rollback_pending(id, true);
            store_.log(id, "error", "rollback", note);
            console_.warn(note);
        }
    }
    if (facts.fail_events > 0) facts.first_fail_offset_s.reset();
    auto v = decide_verdict(facts, req.bisect);
    if (v.name == "FAIL") v.reason = "phase 6 gate failed: " + facts.first_fail;
    out.verdict = v;
    if (facts.aborted)
        store_.abort_run(id, v.reason);
    else
        store_.finish_run(id, v.name, v.reason, v.exit_code);
    return out;
}

}  // namespace besrig::phase6
