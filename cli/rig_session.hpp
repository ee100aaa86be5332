// The composition root for commands that drive the board: the real adapters
// of every port (phases/adapters), the bundle, and the board lock, built from
// the resolved config. Only cli/ builds one; phases see the ports.
#pragma once

#include <filesystem>
#include <memory>

#include "cli/context.hpp"
#include "driver/bundle/bundle.hpp"
#include "phases/adapters/board_evidence.hpp"
#include "phases/adapters/iperf_traffic.hpp"
#include "phases/adapters/live_log_watch.hpp"
#include "phases/adapters/real_board.hpp"
#include "phases/adapters/rig_power.hpp"
#include "phases/adapters/store_comparator.hpp"
#include "rig/board/board_lock.hpp"

namespace besrig {

class RigSession {
public:
    // Takes the controller-side board lock (refuses when another besrig
    // process drives this board), then the board-side one.
    RigSession(Context& ctx, const std::string& patch_for_evidence);
    ~RigSession();

    Bundle& bundle() { return bundle_; }
    phases::RealBoard& board() { return board_; }
    phases::IperfTraffic& traffic() { return traffic_; }
    phases::LiveLogWatch& log() { return log_; }
    phases::BoardEvidence& evidence() { return evidence_; }
    phases::PowerSwitch& power() { return *power_; }
    phases::StoreComparator& comparator() { return comparator_; }
    std::filesystem::path artifacts_dir() const { return artifacts_; }

private:
    Context& ctx_;
    std::filesystem::path artifacts_;
    std::unique_ptr<Remote> lock_remote_;  // outlives lock_, which releases the board's lock file through it
    std::unique_ptr<board::BoardLock> lock_;
    Bundle bundle_;
    phases::RealBoard board_;
    phases::IperfTraffic traffic_;
    phases::LiveLogWatch log_;
    phases::BoardEvidence evidence_;
    std::unique_ptr<phases::PowerSwitch> power_;
    phases::StoreComparator comparator_;
};

}  // namespace besrig
