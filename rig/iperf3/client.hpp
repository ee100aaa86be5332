// The iperf3 client of one profile step, run on the board through the Remote
// seam (rig/ssh/remote.hpp) and read line by line as it runs.
//
// How a step becomes argv (iperf3_client_argv):
//   direction rx (peer -> board) = -R, since the client runs on the board;
//   direction tx (board -> peer) = iperf3's forward direction;
//   rate_mbytes is the step's TOTAL offered rate in MB/s (10^6 bytes). iperf3's
//     -b applies to each stream, so it is divided by the stream count:
//     4 MB/s over -P 4 is `-b 8000000` (bits/s) per stream. A profile's "1, 2, 4
//     MB/s with 1 and 4 streams" then offers the link the same load either way;
//   streams -> -P, seconds -> -t, omit -> -O (iperf3 runs omit + seconds);
//   -B <the board's data address> so traffic leaves through wlan0, never enu1;
//   -c <the server's address as the board sees it>, -p <the run's port>;
//   -i 1 --forceflush -f k: one text line per second, flushed at once, rates
//     to 1 Kbit/s; --connect-timeout (3.2+) so a dead peer fails fast.
// With iperf3 >= 3.17 on the board, `-J --json-stream` replaces the text.
//
// Live samples and the final result: iperf3 3.12's `-J` is written only when
// the test ends, so the client's live lines give the per-second samples and
// the client's own end-of-test lines (both ends' totals, exchanged by iperf3),
// and the controller's server writes the exact per-test JSON (server.hpp).
// run_iperf3_step() returns both, with both ends' iperf3 versions.
//
// Stalls: no interval line for `silent_s`, or intervals at zero for `zero_s`,
// are reported through on_stall as they happen (the wedge watchdog decides
// what they mean). A dead server is reported as ServerFailed: infrastructure,
// not the patch.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "rig/iperf3/result.hpp"
#include "rig/iperf3/version.hpp"
#include "rig/ssh/remote.hpp"
#include "util/result.hpp"

namespace besrig {

class Iperf3Server;

struct Iperf3ClientSpec {
    std::string binary = "iperf3";
    std::string server_address;  // as the board sees the server
    int port = 5201;
    std::string bind_address;    // the board's data-interface address; empty: let the kernel choose
    Iperf3Flow flow = Iperf3Flow::ServerToClient;  // rx by default
    double rate_mbytes = 0;      // total offered rate, MB/s; 0: unlimited
    int streams = 1;
    int seconds = 10;
    int omit = 0;
    bool json_stream = false;    // iperf3 >= 3.17 on the board
    int connect_timeout_ms = 5000;  // 0: leave --connect-timeout out (iperf3 before 3.2 has none)
};

// "rx" -> ServerToClient (-R), "tx" -> ClientToServer. Throws Error(Config)
// naming the step for anything else or for out-of-range numbers.
Iperf3ClientSpec iperf3_client_spec(const StepConfig& step, const std::string& binary,
                                    const std::string& server_address, int port, const std::string& bind_address);

// -b value per stream, bits/s; 0 for unlimited.
std::uint64_t iperf3_per_stream_bitrate(double rate_mbytes, int streams);

std::vector<std::string> iperf3_client_argv(const Iperf3ClientSpec& spec);

struct Iperf3StallPolicy {
    double silent_s = 4;  // no interval line for this long
    double zero_s = 4;    // intervals at (or below) zero_bps covering this long
    double zero_bps = 0;
    // A silent management link the stream outlives (0: the SSH default of a
    // few keepalives); also added to the step's deadline, since the board's
    // output arrives late after such an outage.
    double link_grace_s = 0;
};

struct Iperf3Stall {
    enum class Kind { Silent, Zero };
    Kind kind = Kind::Silent;
    double detected_s = 0;    // seconds since the client started
    double last_moving_s = 0; // when data last moved (client clock for Silent, iperf3's interval clock for Zero)
    std::string describe() const;
};

enum class Iperf3Outcome {
    Completed,     // the test ran to its end
    Iperf3Error,   // iperf3 reported an error (refused, idle timeout...), whatever its exit status
    ServerFailed,  // the controller's server died: infrastructure
    RemoteFailed,  // the management link failed: the watchdog decides what that means
    TimedOut,      // no end within the deadline
    Cancelled,     // keep_going() said stop
};
std::string to_string(Iperf3Outcome outcome);

struct Iperf3ClientRun {
    Iperf3Outcome outcome = Iperf3Outcome::Completed;
    std::string detail;  // what went wrong, for the log and the verdict
    int exit_status = -1;
    Iperf3Result result;  // from the live lines (text or json-stream)
    std::vector<Iperf3Stall> stalls;
    std::vector<std::string> stderr_lines;
    double seconds = 0;
    std::optional<RemoteError> remote_error;

    // Failures of the rig, never of the patch.
    bool infrastructure_failure() const { return outcome == Iperf3Outcome::ServerFailed; }
};

struct Iperf3RunHooks {
    std::function<void(const Iperf3Sample&)> on_sample;  // each live sample, as it arrives
    std::function<void(const Iperf3Stall&)> on_stall;    // once per stall episode
    std::function<bool()> keep_going;                    // false: stop the client now
    std::function<std::optional<std::string>()> server_failure;  // e.g. the server's failure()
};

// Runs one client to its end through `remote.stream()`.
Iperf3ClientRun run_iperf3_client(Remote& remote, const Iperf3ClientSpec& spec, const Iperf3StallPolicy& policy,
                                  const Iperf3RunHooks& hooks);

// `iperf3 --version` on the board.
Result<Iperf3Version, std::string> detect_remote_iperf3_version(Remote& remote, const std::string& binary,
                                                                std::chrono::milliseconds timeout);

// One step: the client on the board against the run's server, then the
// server's JSON for that test.
struct Iperf3StepResult {
    Iperf3ClientRun client;
    std::optional<Iperf3Result> server;          // the server's exact view, when it wrote one
    std::optional<Iperf3ParseError> server_error;
    std::string client_version;  // "iperf 3.12" on the board, if known
    std::string server_version;  // on the controller
};
Iperf3StepResult run_iperf3_step(Remote& remote, Iperf3Server& server, const Iperf3ClientSpec& spec,
                                 const Iperf3StallPolicy& policy, Iperf3RunHooks hooks,
                                 const std::string& client_version);

}  // namespace besrig
