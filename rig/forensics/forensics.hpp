// Forensics over the management link, without rebooting (BRIEF §6): a fixed
// list of items, each with its own deadline, collected in order and
// continuing past items that fail or time out (a wedged chip and a WARN
// storm still pouring in must not stop the capture). Each item is saved as a
// file under the run's artifact directory; its sha256, size, status and
// duration go to the store.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "rig/ssh/remote.hpp"

namespace besrig {

class Store;

struct ForensicsItem {
    std::string name;    // file name stem, e.g. "dmesg"
    std::string script;  // a constant script; positional args below
    std::vector<std::string> args;
    bool optional = false;  // e.g. journalctl where no journal exists: "absent", not "failed"
};

struct ForensicsResult {
    std::string name;
    std::filesystem::path path;
    std::string status;  // ok | failed | timeout | absent
    std::uint64_t size = 0;
    std::string sha256;
    double seconds = 0;
    std::string error;
};

// The items of BRIEF §6 for this config; `preserve_as` (may be empty) copies
// the installed module file to forensics.board_dir under that name.
std::vector<ForensicsItem> forensics_items(const RigConfig& config, const std::string& release,
                                           const std::string& preserve_as);

class ForensicsCollector {
public:
    ForensicsCollector(Remote& remote, const RigConfig& config, Store& store, std::filesystem::path artifacts_root);

    // Collects everything for `run_id` into <artifacts_root>/run-<id>/forensics/.
    std::vector<ForensicsResult> collect(std::int64_t run_id, const std::vector<ForensicsItem>& items);

    // Saves `content` as an artifact of the run (e.g. the ftrace buffer).
    ForensicsResult save(std::int64_t run_id, const std::string& name, const std::string& content, double seconds);

private:
    void record(std::int64_t run_id, const ForensicsResult& r);
    Remote& remote_;
    const RigConfig& config_;
    Store& store_;
    std::filesystem::path root_;
};

}  // namespace besrig
