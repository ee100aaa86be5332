// Phase 6 — implement: build gate, deploy, smoke (BRIEF §4).
//
// Build (or reuse) the patch's module; preflight the board (kernel release vs
// vermagic, tools, space); deploy with a verified upload and load it, proving
// the running srcversion; wait for the data interface (carrier and address);
// a short single-stream iperf3 each way must move traffic; the kernel log
// must stay clean. Any failure rolls back to the rollback build and proves
// it. On PASS the patch stays running (that is what Phase 6 is for).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "phases/ports.hpp"
#include "phases/verdict.hpp"

namespace besrig {
class Store;
class Console;
}  // namespace besrig

namespace besrig::phase6 {

struct Request {
    std::string patch;
    bool bisect = false;
    std::string command;
    int smoke_seconds = 5;
};

struct Outcome {
    std::int64_t run_id = 0;
    Verdict verdict;
};

// Builds (or reuses) a patch's module; throws Error(PatchFailure) when the
// build or its warning gate fails.
using BuildGate = std::function<BuildRecord(const std::string& patch)>;

class DeployGate {
public:
    DeployGate(const RigConfig& config, Store& store, Bundle& bundle, phases::Board& board, phases::Traffic& traffic,
               phases::LogWatch& log, BuildGate build, Console& console);
    Outcome run(const Request& request);

private:
    const RigConfig& config_;
    Store& store_;
    Bundle& bundle_;
    phases::Board& board_;
    phases::Traffic& traffic_;
    phases::LogWatch& log_;
    BuildGate build_;
    Console& console_;
};

}  // namespace besrig::phase6
