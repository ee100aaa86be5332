// `besrig nightly` (BRIEF §1, issue 10): every tracked patch through the
// Phase 7 protocol against one baseline, in order, unattended.
//
//   1. The baseline: a run id from the nightly config, or "latest" — the
//      newest passing baseline of this rig, profile and the board's kernel
//      release. If there is none, the runner runs the baseline first (Phase 3
//      on the rollback build) and says so; if that does not PASS, no patch is
//      run (there is nothing to compare with) and the night is an infra error.
//   2. Each patch, one session (board lock, adapters) each, through the same
//      Protocol and the same prediction handling as `besrig run phase7`
//      (phases/phase7/launch.hpp). A patch without a Phase 5 prediction still
//      runs; its verdict says so. A patch that fails (or cannot start: no
//      build, board lock busy) does not stop the next one; the protocol has
//      already rolled the board back.
//   3. The exit code (overall_exit): see below. The trend report itself is
//      rendered above this layer (reports/render) and its exit code passed in.
//
// The board is reached only through SessionFactory, so unit tests run the
// whole night against tests/unit/fake_ports.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/nightly.hpp"
#include "phases/phase7/protocol.hpp"

namespace besrig {
class Bundle;
class Console;
class Store;
}  // namespace besrig

namespace besrig::nightly {

// One board session: what a Phase 7 run needs. The real one (cli/) holds the
// board lock and the real adapters; `ports(config)` judges with `config`
// (a patch's own TOST margin).
class Session {
public:
    virtual ~Session() = default;
    virtual Bundle& bundle() = 0;
    virtual phase7::Ports ports(const RigConfig& config) = 0;
};

class SessionFactory {
public:
    virtual ~SessionFactory() = default;
    // Throws Error (e.g. Infra: the board lock is held) when it cannot.
    virtual std::unique_ptr<Session> open(const std::string& patch) = 0;
};

struct Plan {
    std::string profile;
    int reps = 3;
    bool interleave = false;
    std::optional<std::int64_t> baseline_run;  // nullopt: latest, run one if none
    std::vector<NightlyPatch> patches;
    std::string command;                        // for "reproduce" in each run
};

struct PatchResult {
    std::string patch;
    std::optional<std::int64_t> run_id;
    std::string verdict;  // the Phase 7 verdict, or NOT_RUN when it could not start
    std::string reason;
    int exit_code = 0;    // the Phase 7 exit code (2 for NOT_RUN)
};

struct NightResult {
    std::optional<std::int64_t> baseline_run;
    bool baseline_ran = false;       // this night ran the baseline first
    std::string baseline_problem;    // non-empty: no usable baseline, no patch was run
    bool interrupted = false;
    std::vector<PatchResult> patches;
};

// A line for the nightly log (the caller timestamps it and writes it to
// log_file and the console).
using LogLine = std::function<void(const std::string&)>;

class Runner {
public:
    Runner(const RigConfig& config, Store& store, SessionFactory& sessions, Console& console, LogLine log);
    NightResult run(const Plan& plan);

private:
    std::optional<std::int64_t> resolve_baseline(const Plan& plan, NightResult& night);
    PatchResult run_patch(const Plan& plan, const NightlyPatch& patch, std::int64_t baseline_run);

    const RigConfig& config_;
    Store& store_;
    SessionFactory& sessions_;
    Console& console_;
    LogLine log_;
};

// The night's exit code (BRIEF §5, for cron and systemd):
//   1 when a patch failed or regressed (FAIL, WEDGED, HOST_DOWN, REGRESSED)
//     or the trend report says one failed or moved down (report_exit 1) —
//     a finding about a patch is never hidden behind a rig problem;
//   else 2 when the rig or controller failed: no usable baseline, a patch not
//     run or ended INFRA_ERROR/ABORTED, the night interrupted, or the report
//     could not be made (report_exit 2);
//   else 0 (PASS, EQUIVALENT, IMPROVED, and INCONCLUSIVE, which is not a
//     failure: the report shows it and the reps it would need).
int overall_exit(const NightResult& night, int report_exit);

}  // namespace besrig::nightly
