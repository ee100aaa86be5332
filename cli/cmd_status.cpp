// besrig status: is the board reachable, what kernel, how long up, which
// module is installed and which is RUNNING (and whether they differ), the
// data link's state. Unreachable is a result too (printed), with exit 2.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "rig/board/board_status.hpp"
#include "rig/ssh/connect_board.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using nlohmann::json;
using namespace board;

template <typename T, typename F>
json probe_json(const Probe<T>& p, F&& to_json) {
    return p.value ? to_json(*p.value) : json(nullptr);
}

json status_json(const RigConfig& rig, const BoardStatus& s) {
    json errors = json::object();
    auto note = [&](const char* key, const std::string& e) { if (!e.empty()) errors[key] = e; };
    note("kernel_release", s.release.error);
    note("uptime", s.uptime_s.error);
    note("installed", s.installed.error);
    note("running", s.running.error);
    note("data_link", s.data_link.error);
    return json{
        {"board", rig.board.name},
        {"where", s.where},
        {"reachable", true},
        {"kernel_release", probe_json(s.release, [](const std::string& v) { return json(v); })},
        {"uptime_s", probe_json(s.uptime_s, [](double v) { return json(v); })},
        {"module",
         {{"name", rig.module.name},
          {"installed", probe_json(s.installed, [](const InstalledModule& m) {
               return json{{"path", m.path}, {"present", m.present}, {"sha256", m.sha256}, {"size", m.size},
                           {"srcversion", m.srcversion}, {"vermagic", m.vermagic}};
           })},
          {"running", probe_json(s.running, [](const RunningModule& m) {
               return json{{"loaded", m.loaded},
                           {"srcversion", m.srcversion},
                           {"version", m.version},
                           {"refcount", m.refcount ? json(*m.refcount) : json(nullptr)},
                           {"initstate", m.initstate},
                           {"tainted", m.tainted},
                           {"taint_flags", taint_letters(m.tainted)}};
           })},
          {"identity", to_string(s.match)},
          {"differ", s.match == IdentityMatch::Differ}}},
        {"data_link", probe_json(s.data_link, [](const LinkState& l) {
             return json{{"interface", l.interface}, {"exists", l.exists}, {"operstate", l.operstate},
                         {"carrier", l.carrier}, {"ipv4", l.ipv4}, {"up", l.up()}};
         })},
        {"errors", errors},
    };
}

std::string uptime_text(double s) {
    const auto total = static_cast<long long>(s);
    const long long d = total / 86400, h = total % 86400 / 3600, m = total % 3600 / 60, sec = total % 60;
    std::string out;
    if (d) out += std::to_string(d) + "d ";
    if (d || h) out += std::to_string(h) + "h ";
    out += std::to_string(m) + "m " + std::to_string(sec) + "s";
    return out;
}

void print_status(Context& ctx, const RigConfig& rig, const BoardStatus& s) {
    std::string text;
    struct Lines {
        std::string& out;
        void add(const std::vector<std::string>& kv) {
            std::string key = kv[0];
            key.resize(std::max<std::size_t>(key.size(), 10), ' ');
            out += key + " " + kv[1] + "\n";
        }
    } t{text};
    auto or_error = [](const std::string& value, const std::string& error) {
        return error.empty() ? value : "? (" + error + ")";
    };
    t.add({"board", rig.board.name + " (" + s.where + ")"});
    t.add({"reachable", "yes"});
    t.add({"kernel", or_error(s.release.value.value_or(""), s.release.error)});
    t.add({"uptime", or_error(s.uptime_s.value ? uptime_text(*s.uptime_s.value) : "", s.uptime_s.error)});
    std::string installed;
    if (s.installed.value) {
        const auto& m = *s.installed.value;
        installed = m.present ? m.path + "  sha256 " + m.sha256.substr(0, 16) + "…  srcversion " +
                                    (m.srcversion.empty() ? "-" : m.srcversion) + "  " + format_bytes(m.size)
                              : m.path + "  (absent)";
    }
    t.add({"installed", or_error(installed, s.installed.error)});
    std::string running;
    if (s.running.value) {
        const auto& m = *s.running.value;
        running = !m.loaded ? rig.module.name + " not loaded"
                            : rig.module.name + "  srcversion " + (m.srcversion.empty() ? "-" : m.srcversion) +
                                  (m.version.empty() ? "" : "  version " + m.version) + "  refcount " +
                                  (m.refcount ? std::to_string(*m.refcount) : "-") + "  " + m.initstate;
        running += "  taint " + taint_letters(m.tainted) + " (" + std::to_string(m.tainted) + ")";
    }
    t.add({"running", or_error(running, s.running.error)});
    std::string identity = to_string(s.match);
    if (s.match == IdentityMatch::Differ) identity = ctx.console.red("DIFFER") + ": the board runs a module other than the installed file (reload or reboot to run it)";
    if (s.match == IdentityMatch::Same) identity = ctx.console.green("same") + ": the installed file is what runs";
    t.add({"identity", identity});
    std::string link;
    if (s.data_link.value) {
        const auto& l = *s.data_link.value;
        link = l.interface + (l.exists ? std::string(": ") + (l.operstate.empty() ? "?" : l.operstate) +
                                             (l.carrier ? ", carrier" : ", no carrier") +
                                             (l.ipv4.empty() ? ", no IPv4 address" : ", " + join(l.ipv4, " "))
                                       : ": absent");
    }
    t.add({"data link", or_error(link, s.data_link.error)});
    text.pop_back();
    ctx.console.result(text);
}

int status(Context& ctx) {
    const auto& rig = ctx.rig();
    auto remote = try_connect_board(rig, {});
    if (!remote) {
        const auto& e = remote.error();
        if (ctx.opts.json) {
            ctx.console.result(json{{"board", rig.board.name}, {"reachable", false}, {"error_kind", to_string(e.kind)},
                                    {"error", e.describe()}}.dump(2));
        } else {
            ctx.console.result("board      " + rig.board.name);
            ctx.console.result("reachable  no: " + e.describe());
        }
        return exit_code_for(ErrorKind::Infra, ctx.opts.bisect);
    }
    const auto s = gather_status(**remote, rig);
    if (ctx.opts.json) ctx.console.result(status_json(rig, s).dump(2));
    else print_status(ctx, rig, s);
    try {
        for (const auto& r : ctx.store().rollback_pending())
            ctx.console.warn("run " + std::to_string(r.id) + " (" + r.kind + ", patch " + r.patch +
                             ") still owes a rollback: run `besrig rollback`");
    } catch (const Error& e) {
        ctx.console.warn(std::string("cannot read the store for pending rollbacks: ") + e.what());
    }
    return 0;
}

}  // namespace

void add_status_commands(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("status", "Board reachable? Kernel, uptime, installed vs running module, data link");
    cmd->callback([&ctx] { ctx.action = [&ctx] { return status(ctx); }; });
}

}  // namespace besrig
