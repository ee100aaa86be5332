// The benchmark's own simulated board: a scratch HOME/XDG tree and
// BESRIG_SIM_DIR (set in this process, inherited by every child), a rig
// config with short bench profiles, `besrig sim up`, the rollback build, and
// helpers the figures share: besrig children, read-only store queries and an
// SSH session to the board for injecting records. The destructor runs
// `besrig sim down`, so no QEMU outlives the benchmark.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/board_bench.hpp"
#include "bench/measured_child.hpp"
#include "rig/ssh/remote.hpp"

namespace besrig {
class Store;
}

namespace besrig::bench {

class BoardSession {
public:
    BoardSession(const BoardInputs& in, Console& console);
    ~BoardSession();
    BoardSession(const BoardSession&) = delete;
    BoardSession& operator=(const BoardSession&) = delete;

    // Boots the board and builds the rollback patch; throws with the child's
    // stderr when either fails.
    void boot();

    std::vector<std::string> argv(const std::vector<std::string>& args) const;  // besrig --config .. --store .. args
    ChildUsage besrig(const std::vector<std::string>& args, const std::string& tag, int timeout_s);
    MeasuredChild start(const std::vector<std::string>& args, const std::string& tag);
    // `besrig run phase7 --patch P --profile PROFILE --reps N` with extra
    // args, as a child; P defaults to the rollback patch.
    MeasuredChild start_phase7(const std::string& profile, const std::string& tag,
                               const std::vector<std::string>& extra = {}, const std::string& patch = {},
                               int reps = 1);
    // `besrig build --patch P` against the booted board; throws with the
    // child's stderr when it fails.
    void build(const std::string& patch);

    // The run the newest phase7 child opened (waits up to `timeout_s`).
    std::optional<std::int64_t> wait_new_run(std::int64_t after, MeasuredChild& child, int timeout_s);
    // Waits until `n` per-second samples of `run` are stored (stress is on).
    bool wait_samples(std::int64_t run, int n, MeasuredChild& child, int timeout_s);
    std::int64_t newest_run();
    Store& store();

    Remote& remote();  // connected on first use (the board's own config)
    const RigConfig& config();
    const std::filesystem::path& dir() const { return in_.work; }
    std::string patch() const { return "b"; }
    std::filesystem::path module_file();  // the rollback build's .ko in the bundle

private:
    const BoardInputs& in_;
    Console& console_;
    std::filesystem::path config_path_, store_path_;
    bool booted_ = false;
    std::unique_ptr<Store> store_;
    std::optional<RigConfig> config_;
    std::unique_ptr<Remote> remote_;
};

}  // namespace besrig::bench
