// The seams the phases drive (ports and adapters): the board, the traffic
// generator, the kernel-log watch, ftrace, forensics, the power switch and
// the comparison. The protocol (protocol.hpp) knows only these interfaces;
// phases/adapters/ binds them to rig/ (libssh, iperf3, kmsg) for real runs,
// and unit tests bind them to fakes to drive every failure path.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "driver/bundle/bundle.hpp"
#include "util/error.hpp"

namespace besrig::phases {

// The management link is gone (timeouts, refused, disconnected): the board
// may be down. Distinct from other infrastructure errors because the verdict
// (HOST_DOWN) and the recovery (power cycle) depend on it.
class BoardUnreachable : public Error {
public:
    explicit BoardUnreachable(const std::string& message) : Error(ErrorKind::Infra, message) {}
};

struct RunningModule {
    bool loaded = false;
    std::string srcversion;
    std::string version;
    std::string taint;
};

class Board {
public:
    virtual ~Board() = default;
    virtual std::string kernel_release() = 0;
    // Preflight (BRIEF §4 Phase 6): what is missing or wrong on the board
    // (tools, free space for a module, the data interface's lower device).
    // Empty when all is well.
    virtual std::vector<std::string> preflight_problems() = 0;
    virtual double uptime_s() = 0;
    virtual RunningModule running_module() = 0;
    // Verified deploy of `build` as the installed module (not loaded).
    virtual void install(const BuildRecord& build) = 0;
    // Fresh chip: unload whatever runs, load the installed module, prove it is `build`.
    virtual void reload(const BuildRecord& build) = 0;
    // Reboot through the board's own `reboot`, then wait for the management link.
    virtual void reboot() = 0;
    // Waits (reconnecting) until the management link answers; throws BoardUnreachable.
    virtual void wait_reachable(std::chrono::milliseconds timeout) = 0;
    // Waits for the data interface (carrier and IPv4); returns its address.
    virtual std::string wait_data_link(std::chrono::milliseconds timeout) = 0;
    // One bounded probe over the data interface to `peer`. NoAnswer means the
    // probe ran on the board (so the management link works) and got no reply;
    // Unreachable that it could not be run at all.
    enum class Probe { Answered, NoAnswer, Unreachable };
    virtual Probe probe_data_path(const std::string& peer) = 0;
    virtual bool management_alive() = 0;
    // Snapshot of debugfs/sysfs files (missing ones map to "(absent)").
    virtual std::map<std::string, std::string> read_files(const std::vector<std::string>& paths) = 0;
    // Writes a marker line into the board's kernel log.
    virtual void mark_log(const std::string& text) = 0;
    // Where the board reports its steps (deploy, unload, an escalation after
    // a hung rmmod) while a run holds it; an empty function stops reporting.
    using StepLog = std::function<void(const std::string& step, const std::string& message, double seconds, bool ok)>;
    virtual void set_step_log(StepLog log) { (void)log; }
};

struct Sample {
    double t = 0;  // seconds since the step started (interval end)
    double mbytes_per_s = 0;
    bool omitted = false;
};

struct StepResult {
    enum class Status { Ok, Stalled, Stopped, ServerDied, ClientFailed };
    Status status = Status::Ok;
    std::string error;
    std::string client_version;
    std::string server_version;
};

class Traffic {
public:
    virtual ~Traffic() = default;
    virtual void start_server() = 0;  // throws Error(Infra)
    virtual bool server_alive() = 0;
    // Runs one step from the board; `on_sample` per interval as it arrives;
    // stops early when keep_going() turns false.
    virtual StepResult run_step(const StepConfig& step, const std::string& board_address,
                                const std::function<void(const Sample&)>& on_sample,
                                const std::function<bool()>& keep_going) = 0;
    virtual void stop_server() = 0;
};

struct LogStatus {
    std::int64_t records = 0;
    std::int64_t lost_records = 0;
    int fail_events = 0;                    // splats of severity "fail" since start
    std::optional<std::string> first_fail;  // its title
    std::optional<double> first_fail_offset_s;
    bool storm = false;
    std::optional<double> storm_offset_s;
    int storm_count = 0;
    std::string storm_title;
    bool link_break = false;  // "link break between lmac and host" seen
    bool follower_alive = true;
    std::int64_t netconsole_records = 0;       // received over the netconsole channel
    std::int64_t netconsole_only_records = 0;  // of those, never delivered by the SSH stream
};

class LogWatch {
public:
    virtual ~LogWatch() = default;
    // Starts following in the background; every record goes to the store.
    virtual void start(std::int64_t run_id) = 0;
    // Where stress is now, so events are pinned to a rep and step; `marker`
    // is the text written to the board log at stress start (the offset anchor).
    virtual void set_position(int rep_idx, const std::string& step, const std::string& marker) = 0;
    virtual LogStatus status() = 0;  // thread-safe snapshot
    virtual void stop() = 0;         // flushes and joins
};

class Tracing {
public:
    virtual ~Tracing() = default;
    // Arms ftrace per config; false (with a reason) when the board has none.
    virtual bool arm(std::string& why_not) = 0;
    // Dispatch counts per work function since the previous call.
    virtual std::map<std::string, std::int64_t> take_counts() = 0;
    // tracing_on=0, then saves the buffer into the run's artifacts.
    virtual void freeze_and_save(std::int64_t run_id, const std::string& label) = 0;
};

class Forensics {
public:
    virtual ~Forensics() = default;
    // Collects every item with its own deadline, continuing past failures;
    // stores them as artifacts of the run. Returns how many succeeded.
    virtual int collect(std::int64_t run_id, const std::string& reason) = 0;
};

class PowerSwitch {
public:
    virtual ~PowerSwitch() = default;
    virtual bool available() = 0;
    virtual void cycle() = 0;
};

// Seconds on a monotonic clock; tests substitute a fake one.
using MonoClock = std::function<double()>;

// Judges a finished patch run against its baseline (reports/stats) and the
// Phase 5 prediction; returns runs.details_json["comparison"] (docs/run-details.md).
class Comparator {
public:
    virtual ~Comparator() = default;
    virtual nlohmann::json compare(std::int64_t run_id, std::int64_t baseline_run, const std::string& expect) = 0;
};

}  // namespace besrig::phases
