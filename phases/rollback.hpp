// Rollback: install and load the rollback build (Patch B in the story) and
// prove it is the one running. Used on every exit path of a run that changed
// the board, and by `besrig rollback`. A rollback that cannot be done or
// proven is recorded as pending on the run, so the next command offers it.
// A second interrupt (util/interrupt.hpp) aborts it between its steps, with
// the same warning and the same pending record.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "driver/bundle/bundle.hpp"
#include "phases/ports.hpp"

namespace besrig {
class Store;
class Console;
}  // namespace besrig

namespace besrig::phases {

struct RollbackResult {
    bool proven = false;
    std::string running_srcversion;
    std::string detail;
};

// `run_id` may be empty (a stand-alone `besrig rollback`).
RollbackResult roll_back(Board& board, const BuildRecord& rollback_build, Store& store,
                         std::optional<std::int64_t> run_id, Console& console);

}  // namespace besrig::phases
