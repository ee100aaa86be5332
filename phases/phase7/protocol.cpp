#include "phases/phase7/protocol.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>

#include "driver/bundle/build_gate.hpp"
#include "phases/phase7/launch.hpp"
#include "phases/phase7/recorder.hpp"
#include "phases/rollback.hpp"
#include "phases/phase7/watchdog.hpp"
#include "reports/store/store.hpp"
#include "util/interrupt.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"
#include "util/terminal.hpp"

namespace besrig::phase7 {
namespace {

double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::chrono::milliseconds ms(double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

// "12.34" with `prec` decimals.
std::string num(double v, int prec) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", prec, v);
    return buf;
}

std::string secs(double v) { return num(v, 0) + " s"; }
std::string at_plus(double v) { return " at +" + num(v, 0) + " s"; }

// What must be identical between a patch run and its baseline for the
// comparison to mean anything: the profile, the tracing setup, the counters.
std::string instrumentation_hash(const RigConfig& c, const ProfileConfig& p) {
    nlohmann::json j;
    j["profile"] = p.name;
    auto steps = nlohmann::json::array();
    for (const auto& s : p.steps)
        steps.push_back({s.name, s.direction, s.rate_mbytes, s.streams, s.seconds, s.omit});
    j["steps"] = steps;
    j["fresh_chip"] = p.fresh_chip;
    j["ftrace"] = {c.ftrace.enabled, c.ftrace.tracer, c.ftrace.events, c.ftrace.work_functions, c.ftrace.buffer_size_kb};
    j["counters"] = c.phase7.counters;
    j["module_params"] = c.module.params;
    return sha256_hex(j.dump()).substr(0, 16);
}

}  // namespace

struct Protocol::State {
    Request req;
    const ProfileConfig* profile = nullptr;
    BuildRecord patch_build;
    BuildRecord rollback_build;
    std::unique_ptr<Recorder> rec;
    std::int64_t run_id = 0;
    RunFacts facts;
    std::string kernel;
    std::optional<std::int64_t> baseline_run;
    nlohmann::json details = nlohmann::json::object();
    bool board_changed = false;
    bool server_started = false;
    bool log_started = false;
    bool failure = false;        // stop stress: something failed
    double failure_at = 0;       // monotonic time of the first failure
    bool server_died = false;
    std::vector<double> uptimes;
    std::vector<std::string> identity_problems;
    int reps_done = 0;
    std::string status_prefix;
    int splats_seen = 0;
};

Protocol::Protocol(const RigConfig& config, Store& store, Bundle& bundle, Ports ports, Console& console)
    : config_(config), store_(store), bundle_(bundle), ports_(ports), console_(console) {
    if (!ports_.clock) ports_.clock = steady_seconds;
    if (!ports_.sleep) ports_.sleep = [](double seconds) { std::this_thread::sleep_for(ms(seconds)); };
}

std::optional<std::int64_t> Protocol::find_baseline(const Request& r, const std::string& kernel) {
    if (r.baseline_run) return r.baseline_run;
    return latest_baseline(store_, config_.board.name, r.profile, kernel);
}

Outcome Protocol::run(const Request& request) {
    State s;
    s.req = request;
    s.profile = &config_.profile(request.profile);
    check_patch_name(request.patch);
    auto patch_build = bundle_.latest(request.patch);
    if (!patch_build)
        throw_usage("no build of patch '" + request.patch + "' in the bundle; run `besrig build --patch " +
                    request.patch + "` (or `besrig bundle add`) first");
    auto rollback_build = bundle_.latest(config_.rollback_patch);
    if (!rollback_build)
        throw_usage("no build of the rollback patch '" + config_.rollback_patch +
                    "' in the bundle: besrig will not change a board it cannot restore; run `besrig build --patch " +
                    config_.rollback_patch + "` first");
    s.patch_build = *patch_build;
    s.rollback_build = *rollback_build;
    bundle_.verified_file(s.patch_build);
    bundle_.verified_file(s.rollback_build);

    NewRun nr;
    nr.kind = request.is_baseline ? "baseline" : "phase7";
    nr.patch = request.patch;
    nr.rig = config_.board.name;
    nr.profile = request.profile;
    nr.command = request.command;
    nr.is_baseline = request.is_baseline;
    nr.config_json = nlohmann::json{{"profile", request.profile}, {"reps", request.reps},
                                    {"interleave", request.interleave}, {"expect", request.expect},
                                    {"instrumentation", instrumentation_hash(config_, *s.profile)}}
                         .dump();
    s.run_id = store_.begin_run(nr);
    store_.set_run_build(s.run_id, s.patch_build.sha256);
    s.rec = std::make_unique<Recorder>(store_, s.run_id);
    // The board's own steps (deploys, a hung rmmod and its escalation) go to this run's log.
    const auto run_id = s.run_id;
    ports_.board.set_step_log([this, run_id](const std::string& step, const std::string& msg, double seconds, bool ok) {
        store_.log(run_id, ok ? "info" : "error", step, msg, seconds);
        if (!ok) console_.warn(step + ": " + msg);
    });
    struct Detach {
        phases::Board& b;
        ~Detach() { b.set_step_log({}); }
    } detach{ports_.board};
    s.details["instrumentation"] = instrumentation_hash(config_, *s.profile);
    console_.info("run " + std::to_string(s.run_id) + ": " + nr.kind + " of patch " + request.patch + " (build " +
                  s.patch_build.sha256.substr(0, 12) + ", srcversion " + s.patch_build.srcversion + "), profile " +
                  request.profile + ", " + std::to_string(request.reps) + " repetition(s)");

    try {
        prepare(s);
        std::vector<const BuildRecord*> order;
        for (int i = 0; i < request.reps; ++i) {
            if (request.interleave && !request.is_baseline) order.push_back(&s.rollback_build);
            order.push_back(&s.patch_build);
        }
        for (std::size_t i = 0; i < order.size() && !s.failure && !interrupted(); ++i) {
            run_rep(s, static_cast<int>(i) + 1, *order[i]);
        }
    } catch (const BoardUnreachable& e) {
        console_.clear_status();
        console_.warn(e.what());
        if (s.board_changed) {
            s.facts.host_down = true;
        } else {
            s.facts.infra_error = true;
            s.facts.infra_reason = e.what();
        }
        s.failure = true;
    } catch (const Error& e) {
        console_.clear_status();
        if (e.kind() == ErrorKind::PatchFailure) {
            s.facts.fail_events += 1;
            s.facts.first_fail = e.what();
        } else {
            s.facts.infra_error = true;
            s.facts.infra_reason = e.what();
        }
        s.failure = true;
        console_.warn(std::string("run stopped: ") + e.what());
    }
    console_.clear_status();
    if (interrupted()) s.facts.aborted = true;

    // Last word from the log watch before it stops.
    if (s.log_started) {
        const auto st = ports_.log.status();
        s.facts.fail_events = std::max(s.facts.fail_events, st.fail_events);
        if (st.first_fail && s.facts.first_fail.empty()) s.facts.first_fail = *st.first_fail;
        if (!s.facts.first_fail_offset_s) s.facts.first_fail_offset_s = st.first_fail_offset_s;
        s.facts.storm = s.facts.storm || st.storm;
        s.facts.storm_count = std::max(s.facts.storm_count, st.storm_count);
        if (st.storm) s.details["storm"] = {{"offset_s", st.storm_offset_s ? nlohmann::json(*st.storm_offset_s) : nlohmann::json()},
                                            {"count", st.storm_count}, {"title", st.storm_title}};
        if (st.lost_records > 0)
            s.rec->log("warn", "log", std::to_string(st.lost_records) + " kernel log record(s) lost (sequence gaps)");
    }

    const bool patch_failed = s.facts.host_down || s.facts.wedged || s.facts.fail_events > 0 || s.facts.storm;
    if (patch_failed || s.facts.infra_error || s.facts.aborted)
        after_failure(s);
    else if (s.board_changed)
        store_.set_rollback_pending(s.run_id, false);  // clean: the patch stays on the board by design
    if (s.log_started) ports_.log.stop();
    if (s.server_started) ports_.traffic.stop_server();

    if (!patch_failed && !s.facts.infra_error && !s.facts.aborted) judge(s);
    receipts(s);
    const auto verdict = decide_verdict(s.facts, request.bisect);
    s.details["verdict_reason"] = verdict.reason;
    store_.set_run_details(s.run_id, s.details.dump());
    if (s.facts.aborted)
        store_.abort_run(s.run_id, verdict.reason);
    else
        store_.finish_run(s.run_id, verdict.name, verdict.reason, verdict.exit_code);
    return Outcome{s.run_id, verdict, s.details};
}

void Protocol::prepare(State& s) {
    s.kernel = ports_.board.kernel_release();
    store_.set_run_kernel(s.run_id, s.kernel);
    check_vermagic(s.patch_build, s.kernel);
    check_vermagic(s.rollback_build, s.kernel);
    if (!s.req.is_baseline) {
        s.baseline_run = find_baseline(s.req, s.kernel);
        if (s.baseline_run) {
            Stmt(store_.db(), "UPDATE runs SET baseline_run = ?1 WHERE id = ?2").bind(1, *s.baseline_run).bind(2, s.run_id).exec();
            console_.info("baseline: run " + std::to_string(*s.baseline_run));
        } else {
            console_.warn("no baseline run for rig " + config_.board.name + ", profile " + s.req.profile + ", kernel " +
                          s.kernel + ": no throughput comparison (run `besrig baseline --profile " + s.req.profile + "`)");
        }
    }
    ports_.traffic.start_server();
    s.server_started = true;
    ports_.log.start(s.run_id);
    s.log_started = true;
    std::string why;
    if (!ports_.tracing.arm(why)) s.rec->log("warn", "ftrace", "ftrace not armed: " + why);
    // Pending from the moment the board may change until a rollback is
    // proven or the run ends clean: a controller killed outright (SIGKILL,
    // power loss) leaves the flag, and the next command offers the rollback.
    // (An install that fails half-way leaves it set: the file may be in place.)
    store_.set_rollback_pending(s.run_id, true);
    ports_.board.install(s.patch_build);
    s.board_changed = true;
    s.rec->log("info", "deploy", "installed " + s.patch_build.patch + " " + s.patch_build.sha256.substr(0, 12));
}

void Protocol::fresh_chip(State& s, const BuildRecord& build) {
    if (ports_.board.uptime_s() > s.profile->uptime_window_s || s.profile->fresh_chip == "reboot") {
        console_.info("rebooting the board for a fresh chip inside the uptime window");
        ports_.board.install(build);
        ports_.board.reboot();
    }
    if (s.profile->fresh_chip != "none" || ports_.board.running_module().srcversion != build.srcversion) {
        ports_.board.install(build);
        ports_.board.reload(build);
    }
}

void Protocol::run_rep(State& s, int idx, const BuildRecord& build) {
    fresh_chip(s, build);
    const auto identity = ports_.board.running_module();
    if (identity.srcversion != build.srcversion)
        s.identity_problems.push_back("rep " + std::to_string(idx) + " before: running " + identity.srcversion +
                                      ", expected " + build.srcversion);
    const auto address = ports_.board.wait_data_link(ms(config_.timeouts.link_up_s));
    const double uptime = ports_.board.uptime_s();
    s.uptimes.push_back(uptime);
    const auto rep_id = s.rec->begin_rep(idx, build.patch, uptime, identity.srcversion,
                                         ports_.board.read_files(config_.phase7.counters));
    console_.info("rep " + std::to_string(idx) + ": " + build.patch + " running (srcversion " + identity.srcversion +
                  "), uptime " + secs(uptime) + ", " + config_.board.data.interface + " " + address);
    for (std::size_t i = 0; i < s.profile->steps.size() && !s.failure && !interrupted(); ++i)
        run_step(s, rep_id, idx, static_cast<int>(i) + 1, s.profile->steps[i], address);
    std::string status = s.failure ? "failed" : interrupted() ? "aborted" : "ok";
    std::string identity_after;
    std::map<std::string, std::string> counters_after;
    try {
        identity_after = ports_.board.running_module().srcversion;
        counters_after = ports_.board.read_files(config_.phase7.counters);
    } catch (const BoardUnreachable&) {
        s.rec->end_rep(rep_id, status, "", {});
        throw;
    }
    if (identity_after != build.srcversion && !s.failure)
        s.identity_problems.push_back("rep " + std::to_string(idx) + " after: running " + identity_after);
    s.rec->end_rep(rep_id, status, identity_after, counters_after);
    if (status == "ok") ++s.reps_done;
}

void Protocol::run_step(State& s, std::int64_t rep_id, int rep_idx, int step_idx, const StepConfig& step,
                        const std::string& address) {
    const auto step_id = s.rec->begin_step(rep_id, step_idx, step);
    const std::string marker = "besrig: run " + std::to_string(s.run_id) + " rep " + std::to_string(rep_idx) + " step " +
                               step.name + " stress start";
    // Position first: the follower must know the marker before it can arrive.
    ports_.log.set_position(rep_idx, step.name, marker);
    ports_.board.mark_log(marker);
    WedgeWatchdog watchdog(config_.timeouts.wedge_s);
    // Set while the management link does not answer: the data path cannot be
    // judged then (the probe runs over it), and HOST_DOWN waits for
    // timeouts.host_down_s of silence, so an outage shorter than that is
    // ridden out rather than blamed on the patch.
    std::optional<double> mgmt_lost_at;
    std::optional<double> last_arrival;  // of the last sample (see on_sample)
    auto link_back = [&](double now, const std::string& how) {
        s.rec->log("warn", "watchdog", "management link silent for " + secs(now - *mgmt_lost_at) + " in step " +
                                           step.name + "; " + how + " (ridden out: timeouts.host_down_s " +
                                           secs(config_.timeouts.host_down_s) + ")");
        console_.clear_status();
        console_.warn("management link back after " + secs(now - *mgmt_lost_at) + "; " + how);
        mgmt_lost_at.reset();
        if (last_arrival) last_arrival = now;  // the outage is logged once
    };
    const double start = ports_.clock();
    watchdog.start(start);
    double last_mb = 0;
    const double grace = config_.kernel_log.storm_window_s + config_.timeouts.wedge_s;
    // Samples travel over the management link. When they arrive again after
    // more than two wedge windows without any, the link was out and is back,
    // even if no watchdog round saw it: the loop may have been blocked through
    // the outage (an ftrace read or a probe waiting out a handshake), and the
    // buffered samples then reach on_sample before keep_going runs again.
    auto on_sample = [&](const Sample& sample) {
        const double arrived = ports_.clock();
        if (!mgmt_lost_at && last_arrival && arrived - *last_arrival > 2 * config_.timeouts.wedge_s)
            mgmt_lost_at = *last_arrival;
        last_arrival = arrived;
        if (mgmt_lost_at) link_back(arrived, "samples arrive again");
        watchdog.on_sample(ports_.clock(), sample.mbytes_per_s);
        last_mb = sample.mbytes_per_s;
        s.rec->sample(step_id, sample.t, sample.mbytes_per_s, sample.omitted);
        s.rec->dispatch(rep_id, std::round(ports_.clock() - start), ports_.tracing.take_counts());
    };
    auto keep_going = [&]() -> bool {
        if (interrupted()) return false;
        double now = ports_.clock();
        const auto st = ports_.log.status();
        if (st.fail_events > s.splats_seen) {
            s.splats_seen = st.fail_events;
            if (!s.failure) {
                s.failure = true;
                s.failure_at = now;
                s.facts.first_fail = st.first_fail.value_or("kernel splat");
                s.facts.first_fail_offset_s = st.first_fail_offset_s;
                console_.clear_status();
                console_.warn("kernel splat under stress" +
                              (st.first_fail_offset_s ? at_plus(*st.first_fail_offset_s) : std::string()) +
                              ": " + s.facts.first_fail + " — watching " + secs(grace) +
                              " for a storm or a wedge");
            }
        }
        if (st.storm && !s.facts.storm) {
            s.facts.storm = true;
            s.facts.storm_count = st.storm_count;
        }
        if (!ports_.traffic.server_alive()) {
            s.server_died = true;
            return false;
        }
        if (mgmt_lost_at && !watchdog.silent_too_long(now)) link_back(now, "samples arrive again");
        if (watchdog.probe_due(now)) {
            watchdog.probe_started(now);
            const double probe_at = now;
            const auto probe = ports_.board.probe_data_path(config_.iperf3.server_address);
            const bool data_ok = probe == Board::Probe::Answered;
            now = ports_.clock();
            if (data_ok) {
                // The probe runs over the management link: one that blocked
                // through a whole outage (a handshake waits timeouts.connect_s)
                // is the first to notice the link is back. A probe that took
                // longer than a wedge window (a ping waits 1 s), or silence of
                // more than two windows by then, was an outage ridden out.
                const double after = ports_.clock();
                if (!mgmt_lost_at && (after - probe_at > config_.timeouts.wedge_s ||
                                      watchdog.silent_for(after) > 2 * config_.timeouts.wedge_s))
                    mgmt_lost_at = after - watchdog.silent_for(after);
                if (mgmt_lost_at) link_back(after, "the data path answers a probe");
                watchdog.reprieve(after);
            } else {
                watchdog.probe_failed();
            }
            if (!data_ok && watchdog.suspect(now)) {
                // A probe that ran and got no reply proves the management link.
                const bool mgmt_ok = probe == Board::Probe::NoAnswer || ports_.board.management_alive();
                // The probe and this check may each block for a handshake
                // (timeouts.connect_s): judge the silence as it is now.
                const double checked = ports_.clock();
                if (mgmt_ok && mgmt_lost_at) {
                    // Back after an outage: the failed probe may have been the
                    // outage's. Give the data path a fresh window and look again.
                    link_back(now, "it answers again; watching the data path");
                    watchdog.reprieve(now);
                } else if (!mgmt_ok && watchdog.silent_for(checked) < config_.timeouts.host_down_s) {
                    if (!mgmt_lost_at) {
                        mgmt_lost_at = now;
                        console_.clear_status();
                        console_.warn("no traffic sample for " + secs(watchdog.silent_for(checked)) +
                                      " and the management link does not answer: HOST_DOWN unless it answers within " +
                                      secs(config_.timeouts.host_down_s) + " of the last sample");
                    }
                } else if (mgmt_ok) {
                    s.facts.wedged = true;
                    s.facts.wedge_detail = "no traffic on " + config_.board.data.interface + " for " +
                                           secs(watchdog.silent_for(checked)) + " in step " + step.name + ", " +
                                           std::to_string(watchdog.failed_probes()) + " probes over it failed, " +
                                           (st.link_break ? "\"link break between lmac and host\" logged, " : "") +
                                           "management link fine";
                    s.details["wedge"] = {{"offset_s", checked - start}, {"kind", "WEDGED"}, {"detail", s.facts.wedge_detail}};
                } else {
                    s.facts.host_down = true;
                    s.details["wedge"] = {{"offset_s", checked - start}, {"kind", "HOST_DOWN"},
                                          {"silent_s", watchdog.silent_for(checked)}};
                }
                if (s.facts.wedged || s.facts.host_down) {
                    // When the watchdog decided (wall clock) and how long the path
                    // had been silent: stored now, not at the end of the run, so a
                    // benchmark (or a person) can measure fault-to-decision latency.
                    const std::string kind = s.facts.wedged ? "WEDGED" : "HOST_DOWN";
                    s.details["wedge"]["decided_at"] = unix_now();
                    s.details["wedge"]["silent_s"] = watchdog.silent_for(checked);
                    s.rec->log("warn", "watchdog", kind + " decided after " + num(watchdog.silent_for(checked), 1) +
                                                       " s without traffic in step " + step.name);
                    if (!s.failure) s.failure_at = checked;
                    s.failure = true;
                    return false;
                }
            }
        }
        if (s.failure && now - s.failure_at > grace) return false;
        console_.status(s.req.patch + " rep " + std::to_string(rep_idx) + " " + step.name + "  " +
                        num(last_mb, 2) + " MB/s" + "  splats " + std::to_string(st.fail_events) + "  " +
                        num(now - start, 0) + "/" + std::to_string(step.seconds) + " s");
        return true;
    };
    const auto result = ports_.traffic.run_step(step, address, on_sample, keep_going);
    console_.clear_status();
    std::string status = "ok";
    // A dead iperf3 server or a failed client stream blames the rig only if
    // the board still answers: a board that panics takes the stream down with
    // it, and the controller's iperf3 3.12 server may then die too (SIGSEGV).
    const bool server_gone = s.server_died || result.status == StepResult::Status::ServerDied;
    const bool client_failed = result.status == StepResult::Status::ClientFailed && !s.failure;
    if ((server_gone || client_failed) && !s.facts.wedged && !s.facts.host_down && !interrupted() &&
        board_went_silent(watchdog)) {
        const double now = ports_.clock();
        s.facts.host_down = true;
        s.details["wedge"] = {{"offset_s", now - start}, {"kind", "HOST_DOWN"}, {"silent_s", watchdog.silent_for(now)},
                              {"decided_at", unix_now()}};
        s.rec->log("warn", "watchdog", "HOST_DOWN decided after " + num(watchdog.silent_for(now), 1) +
                                           " s without traffic in step " + step.name + " (the " +
                                           (server_gone ? "controller's iperf3 server died" : "iperf3 client failed") +
                                           " while the management link was silent)");
        if (!s.failure) s.failure_at = now;
        s.failure = true;
        s.rec->end_step(step_id, "stalled", result.error, result.client_version, result.server_version);
        throw BoardUnreachable("the board stopped answering on its management link during step " + step.name);
    }
    // A server that died after the watchdog decided (it dies with its peer,
    // see above) does not turn HOST_DOWN or WEDGED into the rig's failure.
    if (server_gone && !s.facts.host_down && !s.facts.wedged) {
        s.rec->end_step(step_id, "aborted", "iperf3 server died: " + result.error, result.client_version, result.server_version);
        throw_infra("the controller's iperf3 server died during step " + step.name + (result.error.empty() ? "" : ": " + result.error));
    }
    if (s.facts.wedged || s.facts.host_down) status = "stalled";
    else if (s.failure) status = "failed";
    else if (interrupted()) status = "aborted";
    else if (result.status == StepResult::Status::Stalled) status = "stalled";
    else if (result.status == StepResult::Status::ClientFailed) status = "failed";
    s.rec->end_step(step_id, status, result.error, result.client_version, result.server_version);
    if (result.status == StepResult::Status::ClientFailed && !s.failure && !interrupted())
        throw_infra("iperf3 client failed in step " + step.name + ": " + result.error);
    if (s.facts.host_down) throw BoardUnreachable("the board stopped answering on its management link during step " + step.name);
}

// Asks the management link until it answers (false) or the data path has
// been silent for timeouts.host_down_s (true: the board is down).
bool Protocol::board_went_silent(const WedgeWatchdog& watchdog) {
    const double limit = config_.timeouts.host_down_s;
    // Bounded by rounds as well, in case the clock does not move.
    for (int round = 0; round <= static_cast<int>(limit) + 1; ++round) {
        if (ports_.board.management_alive()) return false;
        if (watchdog.silent_for(ports_.clock()) >= limit) return true;
        if (interrupted()) return false;
        ports_.sleep(1.0);
    }
    return true;
}

void Protocol::after_failure(State& s) {
    if (!s.board_changed) return;
    const bool patch_failed = s.facts.host_down || s.facts.wedged || s.facts.fail_events > 0 || s.facts.storm;
    try {
        if (s.facts.host_down) {
            if (ports_.power.available()) {
                console_.info("power-cycling the board");
                ports_.power.cycle();
                s.rec->log("warn", "power", "power cycled after HOST_DOWN");
            }
            ports_.board.wait_reachable(ms(config_.timeouts.boot_s));
        }
        if (patch_failed) {
            console_.info("collecting forensics over the management link (no reboot)");
            ports_.tracing.freeze_and_save(s.run_id, "failure");
            const int n = ports_.forensics.collect(s.run_id, s.facts.host_down ? "after power cycle" : "first failure");
            s.details["forensics_items"] = n;
        }
    } catch (const Error& e) {
        s.rec->log("error", "forensics", e.what());
        console_.warn(std::string("forensics incomplete: ") + e.what());
    }
    if (interrupt_count() >= 2) {
        console_.warn("second interrupt: skipping the rollback; the board may still run " + s.req.patch +
                      " (run `besrig rollback`)");
        store_.set_rollback_pending(s.run_id, true);
        return;
    }
    rollback(s);
}

void Protocol::rollback(State& s) {
    const auto r = phases::roll_back(ports_.board, s.rollback_build, store_, s.run_id, console_);
    s.details["rollback"] = {{"done", r.proven}, {"srcversion", r.running_srcversion}, {"detail", r.detail}};
}

void Protocol::judge(State& s) {
    if (s.req.is_baseline || !s.baseline_run || !ports_.comparator) return;
    try {
        auto cmp = ports_.comparator->compare(s.run_id, *s.baseline_run, s.req.expect);
        s.details["comparison"] = cmp;
        if (cmp.contains("decision") && cmp["decision"].is_string()) {
            s.facts.comparison = cmp["decision"].get<std::string>();
            if (cmp.contains("reasons") && cmp["reasons"].is_array() && !cmp["reasons"].empty())
                s.facts.comparison_reason = cmp["reasons"][0].get<std::string>();
        }
        if (cmp.contains("new_fingerprints") && cmp["new_fingerprints"].is_array())
            for (const auto& f : cmp["new_fingerprints"]) s.facts.new_fingerprints.push_back(f.dump());
    } catch (const Error& e) {
        s.rec->log("error", "compare", e.what());
        s.facts.comparison = "INCONCLUSIVE";
        s.facts.comparison_reason = std::string("comparison failed: ") + e.what();
    }
}

void Protocol::receipts(State& s) {
    const auto& rec = *s.rec;
    (void)rec;
    std::string uptimes;
    bool in_window = !s.uptimes.empty();
    for (double u : s.uptimes) {
        uptimes += (uptimes.empty() ? "" : ", ") + secs(u);
        in_window = in_window && u < s.profile->uptime_window_s;
    }
    const int wanted = s.req.reps * (s.req.interleave && !s.req.is_baseline ? 2 : 1);
    s.rec->receipt("N=" + std::to_string(wanted) + " repetitions at fresh-chip uptime",
                   s.reps_done == wanted && in_window,
                   std::to_string(s.reps_done) + " of " + std::to_string(wanted) + " completed; uptime at start: " +
                       (uptimes.empty() ? "not measured" : uptimes) + " (window " +
                       secs(s.profile->uptime_window_s) + ")");
    bool same_instr = false;
    std::string instr_detail = "no baseline";
    if (s.req.is_baseline) {
        same_instr = true;
        instr_detail = "this run is the baseline (instrumentation " + s.details["instrumentation"].get<std::string>() + ")";
    } else if (s.baseline_run) {
        Stmt q(store_.db(), "SELECT config_json FROM runs WHERE id = ?1");
        q.bind(1, *s.baseline_run);
        if (q.step()) {
            const auto j = nlohmann::json::parse(q.get_text(0), nullptr, false);
            const std::string theirs = j.is_object() && j.contains("instrumentation") ? j["instrumentation"].get<std::string>() : "";
            same_instr = theirs == s.details["instrumentation"].get<std::string>();
            instr_detail = "profile and ftrace hash " + s.details["instrumentation"].get<std::string>() +
                           (same_instr ? " match" : " differ from") + " baseline run " + std::to_string(*s.baseline_run);
        }
    }
    s.rec->receipt("same boot, instrumentation and profile as the baseline", same_instr, instr_detail);
    s.rec->receipt("same access point as the baseline", false, "not reported by this board (SSID/BSSID/channel not measured)");
    s.rec->receipt("running module identity proven before and after stress", s.identity_problems.empty() && s.reps_done > 0,
                   s.identity_problems.empty() ? "srcversion " + s.patch_build.srcversion + " read from /sys/module/" +
                                                     config_.module.name + "/srcversion around every repetition"
                                               : join(s.identity_problems, "; "));
    const auto& cmp = s.details.contains("comparison") ? s.details["comparison"] : nlohmann::json();
    bool predicted_ok = false;
    std::string pred_detail = s.req.is_baseline ? "baseline: no prediction" : "no prediction judged";
    if (cmp.is_object() && cmp.contains("prediction") && cmp["prediction"].is_object()) {
        const auto& p = cmp["prediction"];
        predicted_ok = p.value("judgement", "") == "CONFIRMED";
        pred_detail = p.value("spec", "") + ": " + p.value("judgement", "");
    }
    s.rec->receipt("predicted delta verified", predicted_ok, pred_detail);
    s.rec->receipt("no WARN/BUG/oops under stress", s.facts.fail_events == 0 && !s.facts.storm,
                   s.facts.fail_events == 0 ? "kernel log clean under stress"
                                            : std::to_string(s.facts.fail_events) + " splat(s), first: " + s.facts.first_fail);
    s.rec->receipt("only kernel-log signatures the baseline also shows", s.facts.new_fingerprints.empty() && s.facts.fail_events == 0,
                   s.facts.new_fingerprints.empty() ? "no new signature" : std::to_string(s.facts.new_fingerprints.size()) + " new");
}

}  // namespace besrig::phase7
