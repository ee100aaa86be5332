#include "phases/adapters/board_evidence.hpp"

#include "phases/adapters/real_board.hpp"
#include "rig/board/probes.hpp"
#include "reports/store/store.hpp"
#include "rig/forensics/forensics.hpp"
#include "util/error.hpp"
#include "util/terminal.hpp"

namespace besrig::phases {

BoardEvidence::BoardEvidence(const RigConfig& config, ConnectOptions options, Store& store,
                             std::filesystem::path artifacts_root, std::string patch)
    : config_(config), options_(options), store_(store), root_(std::move(artifacts_root)), patch_(std::move(patch)) {}

BoardEvidence::~BoardEvidence() {
    if (ftrace_) {
        try {
            ftrace_->disarm();
        } catch (...) {
        }
    }
}

Remote& BoardEvidence::remote() {
    if (!remote_) {
        remote_ = connect_or_throw(config_, options_);
        ftrace_ = std::make_unique<Ftrace>(*remote_, config_.ftrace, config_.timeouts.command_s);
    }
    return *remote_;
}

bool BoardEvidence::arm(std::string& why_not) {
    remote();
    return ftrace_->arm(why_not);
}

std::map<std::string, std::int64_t> BoardEvidence::take_counts() {
    if (!ftrace_ || !ftrace_->armed()) return {};
    return ftrace_->take_counts();
}

void BoardEvidence::freeze_and_save(std::int64_t run_id, const std::string& label) {
    remote();
    if (!ftrace_->armed()) return;
    const double t0 = unix_now();
    std::string text;
    try {
        text = ftrace_->freeze_and_read();
    } catch (const Error& e) {
        text = std::string("(ftrace buffer not read: ") + e.what() + ")\n";
    }
    if (const auto o = ftrace_->overruns()) text = "# ring-buffer overruns: " + std::to_string(*o) + "\n" + text;
    ForensicsCollector fc(remote(), config_, store_, root_);
    fc.save(run_id, "ftrace-" + label, text, unix_now() - t0);
}

int BoardEvidence::collect(std::int64_t run_id, const std::string& reason) {
    std::string release = config_.board.kernel_release;
    if (release.empty()) {
        auto r = board::kernel_release(remote(), std::chrono::seconds(10));
        release = r ? *r : "unknown";
    }
    const std::string preserve =
        config_.forensics.preserve_module ? config_.module.name + ".run" + std::to_string(run_id) + "-" + patch_ + ".ko" : "";
    ForensicsCollector fc(remote(), config_, store_, root_);
    const auto results = fc.collect(run_id, forensics_items(config_, release, preserve));
    int ok = 0;
    for (const auto& r : results) ok += r.status == "ok" ? 1 : 0;
    store_.log(run_id, "info", "forensics",
               reason + ": " + std::to_string(ok) + " of " + std::to_string(results.size()) + " item(s) collected");
    return ok;
}

}  // namespace besrig::phases
