// ftrace on the board, driven over the management link (BRIEF §4):
//  - arm: ring buffer size, the configured events enabled, and a hist trigger
//    on workqueue:workqueue_execute_start keyed by the work function, so
//    dispatches per second of sdio_rx_work / sdio_tx_work / bes2600_bh_work
//    are counted in the kernel (no event stream over SSH, nothing lost to a
//    full ring buffer);
//  - take_counts: read the histogram, return the increase since last time.
//    It runs on the sample path once a second, so it must never stall it: each
//    read has a deadline of k_count_read_timeout (not timeouts.command_s), and
//    after a failed read none is tried for k_count_backoff (a board whose
//    link is dead would otherwise block every sample for a whole deadline);
//    the seconds skipped are "not measured", never zero;
//  - freeze: tracing_on=0 at the first failure and at the end, then the
//    buffer and per-CPU overrun counts are saved as run artifacts.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "rig/ssh/remote.hpp"

namespace besrig {

// Parses a hist file: "{ function: [ffffffffc06a1010] sdio_rx_work [bes2600] } hitcount: 4012"
// -> {"sdio_rx_work": 4012}. Lines that do not fit are skipped.
std::map<std::string, std::int64_t> parse_function_hist(const std::string& text);

class Ftrace {
public:
    Ftrace(Remote& remote, const FtraceConfig& config, double command_timeout_s);

    // False with `why_not` filled when the board has no usable tracefs.
    bool arm(std::string& why_not);
    // Increase of each configured work function's dispatch count since the
    // previous call (the first call after arm() counts from arm()).
    std::map<std::string, std::int64_t> take_counts();
    static constexpr std::chrono::milliseconds k_count_read_timeout{3000};
    static constexpr std::chrono::milliseconds k_count_backoff{10000};
    // tracing_on=0; returns the trace buffer text.
    std::string freeze_and_read();
    // Ring-buffer overruns summed over CPUs (events the buffer dropped).
    std::optional<std::int64_t> overruns();
    // Removes the trigger and disables the events (best effort).
    void disarm();

    bool armed() const { return armed_; }

private:
    std::string run(const std::string& script, const std::vector<std::string>& args);
    std::string run(const std::string& script, const std::vector<std::string>& args, std::chrono::milliseconds timeout);
    Remote& remote_;
    FtraceConfig config_;
    std::chrono::milliseconds timeout_;
    bool armed_ = false;
    std::map<std::string, std::int64_t> last_;
    std::optional<std::chrono::steady_clock::time_point> counts_paused_until_;
};

}  // namespace besrig
