// The typed pass over the merged config: every value checked once, every
// refusal naming where the value came from, its key path, what was expected
// and what was found.
#include <arpa/inet.h>
#include <algorithm>
#include <cctype>
#include <set>

#include "config/json_reader.hpp"
#include "config/loader.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig {
namespace {

using nlohmann::json;
using config_detail::Reader;
using config_detail::safe_token;

StepConfig read_step(const Reader& r, const std::string& p) {
    r.only_keys(p, {"name", "direction", "rate_mbytes", "streams", "seconds", "omit"});
    StepConfig s;
    s.name = r.str(p + ".name", false);
    s.direction = r.one_of(p + ".direction", {"rx", "tx"});
    s.rate_mbytes = r.number(p + ".rate_mbytes", 0, 10000);
    s.streams = r.integer(p + ".streams", 1, 128);
    s.seconds = r.integer(p + ".seconds", 1, 86400);
    s.omit = r.integer(p + ".omit", 0, 600);
    if (s.omit >= s.seconds) r.fail(p + ".omit", "fewer seconds than the step's " + std::to_string(s.seconds), r.node(p + ".omit"));
    return s;
}

ProfileConfig read_profile(const Reader& r, const std::string& name) {
    const std::string p = "profiles." + name;
    if (!safe_token(name) || name.find('.') != std::string::npos)
        r.fail(p, "a profile name of letters, digits, '-' or '_'", r.node(p));
    r.only_keys(p, {"description", "fresh_chip", "uptime_window_s", "steps"});
    ProfileConfig prof;
    prof.name = name;
    prof.description = r.node(p + ".description") ? r.str(p + ".description") : "";
    prof.fresh_chip = r.one_of(p + ".fresh_chip", {"reload", "reboot", "none"});
    prof.uptime_window_s = r.number(p + ".uptime_window_s", 0, 1e7);
    const auto& steps = r.at(p + ".steps", "a non-empty list of steps");
    if (!steps.is_array() || steps.empty()) r.fail(p + ".steps", "a non-empty list of steps", &steps);
    std::set<std::string> names;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto sp = p + ".steps[" + std::to_string(i) + "]";
        if (!steps[i].is_object()) r.fail(sp, "an object", &steps[i]);
        prof.steps.push_back(read_step(r, sp));
        if (!names.insert(prof.steps.back().name).second)
            r.fail(sp + ".name", "a step name unique in the profile", r.node(sp + ".name"));
    }
    return prof;
}

}  // namespace

RigConfig read_rig_config(const json& effective, const std::map<std::string, Origin>& origins) {
    Reader r(effective, origins);
    RigConfig c;
    c.board.name = r.str("board.name", false);
    if (!safe_token(c.board.name)) r.fail("board.name", "a name of letters, digits, '-', '_' or '.'", r.node("board.name"));
    c.board.kind = r.one_of("board.kind", {"real", "sim"});
    c.board.sim_name = r.str("board.sim_name", false);
    if (!safe_token(c.board.sim_name)) r.fail("board.sim_name", "a name of letters, digits, '-', '_' or '.'", r.node("board.sim_name"));
    c.board.kernel_release = r.str("board.kernel_release");
    c.board.mgmt.host = r.str("board.mgmt.host", false);
    c.board.mgmt.port = r.integer("board.mgmt.port", 1, 65535);
    c.board.mgmt.user = r.str("board.mgmt.user", false);
    c.board.mgmt.identity_file = r.str("board.mgmt.identity_file");
    c.board.mgmt.known_hosts = r.str("board.mgmt.known_hosts", false);
    c.board.mgmt.host_key_policy = r.one_of("board.mgmt.host_key_policy", {"strict", "accept-new"});
    c.board.data.interface = r.str("board.data.interface", false);
    // It becomes part of board paths (/sys/class/net/<if>) and command lines: a plain Linux name.
    if (!safe_token(c.board.data.interface) || c.board.data.interface.size() > 15)
        r.fail("board.data.interface", "a network interface name (at most 15 letters, digits, '-', '_' or '.')",
               r.node("board.data.interface"));
    c.board.data.address_source = r.one_of("board.data.address_source", {"interface", "static"});
    c.board.data.address = r.str("board.data.address");
    if (c.board.data.address_source == "static" && c.board.data.address.empty())
        r.fail_because("board.data.address_source", "board.data.address", "an address when board.data.address_source is \"static\"", r.node("board.data.address"));

    c.iperf3.peer = r.str("iperf3.peer", false);
    c.iperf3.server_bind = r.str("iperf3.server_bind", false);
    c.iperf3.server_address = r.str("iperf3.server_address", false);
    c.iperf3.port = r.integer("iperf3.port", 1, 65535);
    c.iperf3.board_binary = r.str("iperf3.board_binary", false);
    c.iperf3.controller_binary = r.str("iperf3.controller_binary", false);

    c.module.name = r.str("module.name", false);
    if (!safe_token(c.module.name)) r.fail("module.name", "a module name of letters, digits, '-' or '_'", r.node("module.name"));
    c.module.install_path = r.str("module.install_path", false);
    if (c.module.install_path.front() != '/' || c.module.install_path.find("..") != std::string::npos)
        r.fail("module.install_path", "an absolute path pattern without '..'", r.node("module.install_path"));
    c.module.load_method = r.one_of("module.load_method", {"reload", "reboot"});
    c.module.params = r.str("module.params");
    c.module.unload_hang = r.one_of("module.unload_hang", {"reboot", "power_cycle", "fail"});

    c.driver.src = r.str("driver.src", false);
    c.driver.patches_dir = r.str("driver.patches_dir", false);
    c.driver.kdir = r.str("driver.kdir");
    c.driver.arch = r.str("driver.arch");
    c.driver.cross_compile = r.str("driver.cross_compile");
    c.driver.bundle_dir = r.str("driver.bundle_dir", false);

    c.forensics.board_dir = r.str("forensics.board_dir", false);
    if (c.forensics.board_dir.front() != '/') r.fail("forensics.board_dir", "an absolute path", r.node("forensics.board_dir"));
    c.forensics.preserve_module = r.boolean("forensics.preserve_module");
    c.rollback_patch = r.str("rollback.patch", false);
    if (!safe_token(c.rollback_patch)) r.fail("rollback.patch", "a patch name of letters, digits, '-', '_' or '.'", r.node("rollback.patch"));

    c.power.kind = r.one_of("power.kind", {"none", "command", "qmp"});
    c.power.cycle_command = r.str("power.cycle_command");
    c.power.on_command = r.str("power.on_command");
    c.power.off_command = r.str("power.off_command");
    c.power.qmp_socket = r.str("power.qmp_socket");
    if (c.power.kind == "command" && c.power.cycle_command.empty())
        r.fail_because("power.kind", "power.cycle_command", "a command when power.kind is \"command\"", r.node("power.cycle_command"));

    c.ftrace.enabled = r.boolean("ftrace.enabled");
    c.ftrace.tracer = r.str("ftrace.tracer", false);
    c.ftrace.events = r.strings("ftrace.events");
    c.ftrace.work_functions = r.strings("ftrace.work_functions");
    c.ftrace.buffer_size_kb = r.integer("ftrace.buffer_size_kb", 64, 1 << 20);

    const auto& pats = r.at("kernel_log.extra_patterns", "a list of patterns");
    if (!pats.is_array()) r.fail("kernel_log.extra_patterns", "a list of {name, regex, severity}", &pats);
    for (std::size_t i = 0; i < pats.size(); ++i) {
        const auto p = "kernel_log.extra_patterns[" + std::to_string(i) + "]";
        r.only_keys(p, {"name", "regex", "severity"});
        LogPattern lp{r.str(p + ".name", false), r.str(p + ".regex", false), r.one_of(p + ".severity", {"fail", "warn", "info"})};
        c.kernel_log.extra_patterns.push_back(lp);
    }
    c.kernel_log.storm_count = r.integer("kernel_log.storm.count", 1, 100000);
    c.kernel_log.storm_window_s = r.number("kernel_log.storm.window_s", 0.1, 3600);
    c.kernel_log.netconsole.enabled = r.boolean("kernel_log.netconsole.enabled");
    c.kernel_log.netconsole.listen = r.str("kernel_log.netconsole.listen", false);
    if (in_addr a{}; ::inet_pton(AF_INET, c.kernel_log.netconsole.listen.c_str(), &a) != 1)
        r.fail("kernel_log.netconsole.listen", "an IPv4 address of this controller (e.g. 127.0.0.1 or 0.0.0.0)",
               &r.at("kernel_log.netconsole.listen", "a string"));
    c.kernel_log.netconsole.port = r.integer("kernel_log.netconsole.port", 1, 65535);

    c.timeouts.connect_s = r.number("timeouts.connect_s", 0.1, 3600);
    c.timeouts.connect_attempts = r.integer("timeouts.connect_attempts", 1, 20);
    c.timeouts.command_s = r.number("timeouts.command_s", 0.1, 86400);
    c.timeouts.keepalive_s = r.number("timeouts.keepalive_s", 0.1, 600);
    c.timeouts.load_s = r.number("timeouts.load_s", 0.1, 3600);
    c.timeouts.link_up_s = r.number("timeouts.link_up_s", 0.1, 3600);
    c.timeouts.boot_s = r.number("timeouts.boot_s", 1, 7200);
    c.timeouts.forensics_item_s = r.number("timeouts.forensics_item_s", 0.1, 3600);
    c.timeouts.wedge_s = r.number("timeouts.wedge_s", 0.5, 600);
    c.timeouts.host_down_s = r.number("timeouts.host_down_s", 1, 3600);

    const auto& profiles = r.at("profiles", "an object of profiles");
    if (!profiles.is_object() || profiles.empty()) r.fail("profiles", "an object of named profiles", &profiles);
    for (const auto& [name, _] : profiles.items()) c.profiles[name] = read_profile(r, name);

    c.phase7.profile = r.str("phase7.profile", false);
    if (!c.profiles.count(c.phase7.profile)) {
        std::vector<std::string> names;
        for (const auto& [n, _] : c.profiles) names.push_back(n);
        r.fail("phase7.profile", "one of the profiles (" + join(names, ", ") + ")", r.node("phase7.profile"));
    }
    c.phase7.reps = r.integer("phase7.reps", 1, 1000);
    c.phase7.counters = r.strings("phase7.counters");

    c.compare.margin_pct = r.number("compare.margin_pct", 0.01, 100);
    c.compare.noise_band_pct = r.number("compare.noise_band_pct", 0, 100);
    c.compare.confidence = r.number("compare.confidence", 0.5, 0.999);

    c.store.path = r.str("store.path", false);
    c.store.artifacts_dir = r.str("store.artifacts_dir", false);
    return c;
}

const ProfileConfig& RigConfig::profile(const std::string& name) const {
    auto it = profiles.find(name);
    if (it == profiles.end()) {
        std::vector<std::string> names;
        for (const auto& [n, _] : profiles) names.push_back(n);
        throw_usage("unknown stress profile '" + printable(name) + "' (known: " + join(names, ", ") + ")");
    }
    return it->second;
}

std::string RigConfig::module_install_path(const std::string& release) const {
    std::string out;
    const std::string& pat = module.install_path;
    for (std::size_t i = 0; i < pat.size();) {
        if (pat.compare(i, 9, "{release}") == 0) {
            out += release;
            i += 9;
        } else if (pat.compare(i, 8, "{module}") == 0) {
            out += module.name;
            i += 8;
        } else {
            out += pat[i++];
        }
    }
    return out;
}

}  // namespace besrig
