// The LogWatch port bound to the board's /dev/kmsg over its own management
// session, in a thread of its own (BRIEF §4 "the kernel log streamed live,
// classified as it arrives"; issue 5).
//
//   - On start it writes a marker into the board's log and streams
//     `cat /dev/kmsg`; records older than the marker (the ring buffer's
//     history) are skipped, so an old splat never fails a new run.
//   - Every record after it goes to the store (table kmsg) in batches
//     committed at least once a second, through the thread's own SQLite
//     connection (WAL lets the protocol write at the same time).
//   - Records feed rig/kmsg's classifier; finished reports go to
//     kernel_events with the rep, step and offset from the step's stress-start
//     marker (kernel time of the marker record: the board's own clock, no
//     controller latency in it); splats feed the storm detector.
//   - Sequence gaps are stored as GAP events and counted: nothing is lost
//     silently.
//   - With kernel_log.netconsole.enabled it also listens for the board's
//     netconsole (UDP, rig/netconsole) as a second channel: every record is
//     stored with channel 'netconsole'; those the SSH stream never delivered
//     (a panic or hard hang takes the stream down first) are classified when
//     the follower stops, so the last lines before the end still count.
//   - If the link drops it reconnects until stopped; after a reboot (new
//     boot_id) the new boot's records are kept too, else already-seen
//     sequence numbers are skipped.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "config/config.hpp"
#include "phases/ports.hpp"
#include "rig/netconsole/listener.hpp"
#include "rig/ssh/connect_board.hpp"

namespace besrig::phases {

class LiveLogWatch : public LogWatch {
public:
    LiveLogWatch(const RigConfig& config, ConnectOptions options, std::filesystem::path store_path);
    ~LiveLogWatch() override;

    void start(std::int64_t run_id) override;
    void set_position(int rep_idx, const std::string& step, const std::string& marker) override;
    LogStatus status() override;
    void stop() override;

private:
    struct Follower;
    void loop();

    const RigConfig& config_;
    ConnectOptions options_;
    std::filesystem::path store_path_;
    std::int64_t run_id_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::mutex mutex_;
    LogStatus status_;
    int rep_idx_ = 0;
    std::string step_;
    std::string marker_;
    std::string start_marker_;
    std::string error_;
    std::unique_ptr<netconsole::Listener> netconsole_;  // bound in start(), handed to the follower
};

}  // namespace besrig::phases
