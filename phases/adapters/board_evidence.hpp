// The Tracing and Forensics ports bound to rig/ftrace and rig/forensics over
// one management session of their own (used only from the protocol's thread,
// between reads of the traffic stream). Saved buffers and forensics items
// land under <artifacts>/run-<id>/ with sha256 and size in the store.
#pragma once

#include <filesystem>
#include <memory>

#include "config/config.hpp"
#include "phases/ports.hpp"
#include "rig/ftrace/ftrace.hpp"
#include "rig/ssh/connect_board.hpp"

namespace besrig {
class Store;
}

namespace besrig::phases {

class BoardEvidence : public Tracing, public Forensics {
public:
    BoardEvidence(const RigConfig& config, ConnectOptions options, Store& store, std::filesystem::path artifacts_root,
                  std::string patch);
    ~BoardEvidence() override;

    bool arm(std::string& why_not) override;
    std::map<std::string, std::int64_t> take_counts() override;
    void freeze_and_save(std::int64_t run_id, const std::string& label) override;
    int collect(std::int64_t run_id, const std::string& reason) override;

private:
    Remote& remote();
    const RigConfig& config_;
    ConnectOptions options_;
    Store& store_;
    std::filesystem::path root_;
    std::string patch_;
    std::unique_ptr<Remote> remote_;
    std::unique_ptr<Ftrace> ftrace_;
};

}  // namespace besrig::phases
