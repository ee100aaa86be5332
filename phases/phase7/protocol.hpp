// Phase 7 — verify under stress (BRIEF §4) — and Phase 3, the same protocol
// on the rollback build marked as the baseline.
//
// One run: preflight (kernel vs vermagic), iperf3 server up, kernel-log watch
// and ftrace armed, the patch build installed; then N repetitions, each on a
// fresh chip inside the uptime window, each stepping through the profile while
// samples, dispatch counts and kernel events are stored as they arrive. The
// first failure (a splat, then a short grace to see whether it becomes a storm
// or a wedge; a wedge; a dead host) freezes ftrace, collects forensics over
// the management link and rolls back. At the end: comparison with the
// baseline, receipts, verdict (phases/verdict.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "phases/ports.hpp"
#include "phases/verdict.hpp"

namespace besrig {
class Store;
class Console;
}  // namespace besrig

namespace besrig::phase7 {
class WedgeWatchdog;
using phases::Board;
using phases::BoardUnreachable;
using phases::Comparator;
using phases::Forensics;
using phases::LogStatus;
using phases::LogWatch;
using phases::MonoClock;
using phases::PowerSwitch;
using phases::RunningModule;
using phases::Sample;
using phases::StepResult;
using phases::Tracing;
using phases::Traffic;


struct Request {
    std::string patch;
    std::string profile;
    int reps = 3;
    bool is_baseline = false;                // Phase 3
    std::optional<std::int64_t> baseline_run;  // else the latest matching baseline
    bool interleave = false;                 // alternate baseline and patch reps in this run
    std::string expect = "any";              // "no-delta" | "improve" | "any"
    bool bisect = false;
    std::string command;                     // for "reproduce"
};

struct Ports {
    Board& board;
    Traffic& traffic;
    LogWatch& log;
    Tracing& tracing;
    Forensics& forensics;
    PowerSwitch& power;
    Comparator* comparator = nullptr;  // absent: no comparison
    MonoClock clock;                   // empty: std::chrono::steady_clock
    std::function<void(double)> sleep;  // seconds; empty: std::this_thread::sleep_for
};

struct Outcome {
    std::int64_t run_id = 0;
    Verdict verdict;
    nlohmann::json details;
};

class Protocol {
public:
    Protocol(const RigConfig& config, Store& store, Bundle& bundle, Ports ports, Console& console);
    Outcome run(const Request& request);

private:
    struct State;
    void prepare(State& s);
    void run_rep(State& s, int idx, const BuildRecord& build);
    void run_step(State& s, std::int64_t rep_id, int rep_idx, int step_idx, const StepConfig& step,
                  const std::string& address);
    void fresh_chip(State& s, const BuildRecord& build);
    bool board_went_silent(const WedgeWatchdog& watchdog);
    void after_failure(State& s);
    void rollback(State& s);
    void judge(State& s);
    void receipts(State& s);
    std::optional<std::int64_t> find_baseline(const Request& r, const std::string& kernel);

    const RigConfig& config_;
    Store& store_;
    Bundle& bundle_;
    Ports ports_;
    Console& console_;
};

}  // namespace besrig::phase7
