#include "rig/forensics/forensics.hpp"

#include "reports/store/store.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/sha256.hpp"
#include "util/strings.hpp"
#include "util/terminal.hpp"

namespace besrig {

std::vector<ForensicsItem> forensics_items(const RigConfig& c, const std::string& release, const std::string& preserve_as) {
    const std::string m = c.module.name;
    const std::string installed = c.module_install_path(release);
    std::vector<ForensicsItem> items = {
        {"dmesg", "dmesg 2>/dev/null || timeout 3 cat /dev/kmsg; true", {}, false},
        {"uptime", "cat /proc/uptime; uptime 2>/dev/null; true", {}, false},
        {"srcversion", "for f in srcversion version refcnt taint initstate; do printf '%s: ' $f; cat /sys/module/$1/$f 2>/dev/null || echo '(absent)'; done", {m}, false},
        {"taint", "cat /proc/sys/kernel/tainted", {}, false},
        {"lsmod", "lsmod 2>/dev/null || cat /proc/modules", {}, false},
        {"module-sha256", "sha256sum \"$1\"", {installed}, false},
        {"interrupts", "cat /proc/interrupts; sleep 1; echo '--- one second later ---'; cat /proc/interrupts", {}, false},
        {"ip-link", "ip -s link 2>/dev/null || cat /proc/net/dev; ip addr 2>/dev/null; true", {}, false},
        {"journal-k-b0", "command -v journalctl >/dev/null && [ -d /var/log/journal -o -d /run/log/journal ] || exit 42; journalctl -k -b 0 --no-pager", {}, true},
        {"journal-k-b-1", "command -v journalctl >/dev/null && [ -d /var/log/journal ] || exit 42; journalctl -k -b -1 --no-pager", {}, true},
        {"debugfs-status", "for f in $(find /sys/kernel/debug -path '*bes2600*' -name status 2>/dev/null); do echo \"== $f\"; cat \"$f\"; done; true", {}, false},
    };
    if (!preserve_as.empty())
        items.push_back({"preserve-module",
                         "mkdir -p \"$2\" && cp \"$1\" \"$2/$3\" && sha256sum \"$2/$3\"",
                         {installed, c.forensics.board_dir, preserve_as}, false});
    return items;
}

ForensicsCollector::ForensicsCollector(Remote& remote, const RigConfig& config, Store& store,
                                       std::filesystem::path artifacts_root)
    : remote_(remote), config_(config), store_(store), root_(std::move(artifacts_root)) {}

void ForensicsCollector::record(std::int64_t run_id, const ForensicsResult& r) {
    Stmt(store_.db(),
         "INSERT INTO artifacts (run_id, name, path, sha256, size, status, seconds, error, created_at) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(1, run_id)
        .bind(2, r.name)
        .bind(3, r.path.string())
        .bind(4, r.sha256)
        .bind(5, static_cast<std::int64_t>(r.size))
        .bind(6, r.status)
        .bind(7, r.seconds)
        .bind(8, r.error)
        .bind(9, unix_now())
        .exec();
}

ForensicsResult ForensicsCollector::save(std::int64_t run_id, const std::string& name, const std::string& content,
                                         double seconds) {
    ForensicsResult r;
    r.name = name;
    r.path = root_ / ("run-" + std::to_string(run_id)) / "forensics" / (name + ".txt");
    r.seconds = seconds;
    write_file_atomic(r.path, content);
    r.size = content.size();
    r.sha256 = sha256_hex(content);
    r.status = "ok";
    record(run_id, r);
    return r;
}

std::vector<ForensicsResult> ForensicsCollector::collect(std::int64_t run_id, const std::vector<ForensicsItem>& items) {
    std::vector<ForensicsResult> out;
    const auto deadline = std::chrono::milliseconds(static_cast<long long>(config_.timeouts.forensics_item_s * 1000));
    for (const auto& item : items) {
        ForensicsResult r;
        r.name = item.name;
        r.path = root_ / ("run-" + std::to_string(run_id)) / "forensics" / (item.name + ".txt");
        const double start = unix_now();
        auto res = remote_.run_script(item.script, item.args, deadline);
        r.seconds = unix_now() - start;
        std::string content;
        if (!res) {
            r.status = res.error().kind == RemoteErrorKind::Timeout ? "timeout" : "failed";
            r.error = res.error().describe();
        } else {
            content = res->out;
            if (!res->err.empty()) content += "\n--- stderr ---\n" + res->err;
            if (res->exit_status == 42 && item.optional) {
                r.status = "absent";
                r.error = "not present on this board";
            } else if (res->exit_status != 0) {
                r.status = "failed";
                r.error = "exit " + std::to_string(res->exit_status) + ": " + printable(trim(res->err), 160);
            } else {
                r.status = "ok";
            }
        }
        if (!content.empty() || r.status == "ok") {
            try {
                write_file_atomic(r.path, content);
                r.size = content.size();
                r.sha256 = sha256_hex(content);
            } catch (const Error& e) {
                r.status = "failed";
                r.error = e.what();
            }
        }
        record(run_id, r);
        out.push_back(r);
        // A dead link makes every further item fail the same way, each after
        // its own deadline; still try them all, the link may come back.
    }
    return out;
}

}  // namespace besrig
