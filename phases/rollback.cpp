#include "phases/rollback.hpp"

#include "reports/store/store.hpp"
#include "util/error.hpp"
#include "util/interrupt.hpp"
#include "util/terminal.hpp"

namespace besrig::phases {

RollbackResult roll_back(Board& board, const BuildRecord& rb, Store& store, std::optional<std::int64_t> run_id,
                         Console& console) {
    console.info("rolling back to " + rb.patch + " (" + rb.sha256.substr(0, 12) + ", srcversion " + rb.srcversion + ")");
    RollbackResult r;
    // A second Ctrl-C (or SIGTERM) aborts the rollback between its steps.
    const auto abort_requested = [] {
        if (interrupt_count() >= 2) throw_infra("rollback aborted by a second interrupt");
    };
    try {
        abort_requested();
        board.install(rb);
        abort_requested();
        board.reload(rb);
        r.running_srcversion = board.running_module().srcversion;
        r.proven = r.running_srcversion == rb.srcversion;
        r.detail = r.proven ? "rollback build running (srcversion " + r.running_srcversion + ")"
                            : "rollback not proven: running srcversion " + r.running_srcversion;
    } catch (const Error& e) {
        r.detail = std::string("rollback failed: ") + e.what();
    }
    if (run_id) {
        store.set_rollback_pending(*run_id, !r.proven);
        store.log(*run_id, r.proven ? "info" : "error", "rollback", r.detail);
    }
    if (r.proven)
        console.info("rollback proven: " + rb.patch + " running (srcversion " + r.running_srcversion + ")");
    else
        console.warn(r.detail + "; recorded as pending (run `besrig rollback` once the board answers)");
    return r;
}

}  // namespace besrig::phases
