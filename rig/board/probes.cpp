#include "rig/board/probes.hpp"

#include <nlohmann/json.hpp>

#include "util/strings.hpp"

namespace besrig::board {

Result<std::string, RemoteError> kernel_release(Remote& remote, milliseconds timeout) {
    auto r = run_checked(remote, {"uname", "-r"}, timeout);
    if (!r) return fail(r.error());
    const std::string release(trim(r->out));
    bool plausible = !release.empty() && release.size() <= 128;
    for (const char c : release)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == '+' || c == '~'))
            plausible = false;
    if (!plausible) return fail(bad_reply(remote, "uname -r", r->out, "a kernel release like 6.1.0-18-arm64"));
    return release;
}

Result<double, RemoteError> uptime_seconds(Remote& remote, milliseconds timeout) {
    auto r = run_checked(remote, {"cat", "/proc/uptime"}, timeout);
    if (!r) return fail(r.error());
    const auto fields = split(trim(r->out), ' ');
    const auto up = fields.size() == 2 ? parse_double(fields[0]) : std::nullopt;
    if (!up || *up < 0) return fail(bad_reply(remote, "cat /proc/uptime", r->out, "two numbers, \"12345.67 2345.12\""));
    return *up;
}

Result<FreeSpace, RemoteError> free_space(Remote& remote, const std::string& path, milliseconds timeout) {
    // The install directory may not exist yet: ask about its nearest existing ancestor.
    static const std::string script =
        "p=$1; while [ ! -e \"$p\" ] && [ \"$p\" != / ]; do p=$(dirname \"$p\"); done; echo \"path=$p\"; df -Pk \"$p\"";
    auto r = script_checked(remote, "df", script, {path}, timeout);
    if (!r) return fail(r.error());
    const std::string command = "df -Pk " + shell_quote(path);
    const auto lines = split_lines(r->out);
    // path=..., header, one data line: fs 1024-blocks used available capacity mountpoint
    if (lines.size() < 3 || lines[0].rfind("path=", 0) != 0)
        return fail(bad_reply(remote, command, r->out, "df -P output (a header and one line)"));
    std::vector<std::string> fields;
    for (const auto& f : split(lines[2], ' '))
        if (!f.empty()) fields.push_back(f);
    const auto total = fields.size() >= 6 ? parse_int(fields[1]) : std::nullopt;
    const auto avail = fields.size() >= 6 ? parse_int(fields[3]) : std::nullopt;
    if (!total || !avail || *total < 0 || *avail < 0)
        return fail(bad_reply(remote, command, lines[2], "\"filesystem blocks used available capacity mountpoint\""));
    return FreeSpace{lines[0].substr(5), static_cast<std::uint64_t>(*avail) * 1024,
                     static_cast<std::uint64_t>(*total) * 1024};
}

Result<ToolCheck, RemoteError> tools_present(Remote& remote, const std::vector<std::string>& tools,
                                             milliseconds timeout) {
    static const std::string script =
        "for t in \"$@\"; do if p=$(command -v \"$t\"); then echo \"found=$t $p\"; else echo \"missing=$t\"; fi; done";
    auto r = script_checked(remote, "command -v", script, tools, timeout);
    if (!r) return fail(r.error());
    ToolCheck check;
    for (const auto& [key, value] : parse_key_values(r->out)) {
        if (key == "missing") {
            check.missing.push_back(value);
        } else if (key == "found") {
            const auto sp = value.find(' ');
            if (sp == std::string::npos) return fail(bad_reply(remote, "command -v", r->out, "\"found=NAME PATH\" lines"));
            check.found.emplace_back(value.substr(0, sp), value.substr(sp + 1));
        }
    }
    if (check.found.size() + check.missing.size() != tools.size())
        return fail(bad_reply(remote, "command -v " + shell_join(tools), r->out, "one line per tool"));
    return check;
}

Result<LinkState, RemoteError> link_state(Remote& remote, const std::string& interface, milliseconds timeout) {
    const std::string command = "ip -j addr show dev " + shell_quote(interface);
    if (!is_plain_name(interface))
        return fail(RemoteError{RemoteErrorKind::BadReply, remote.where(), command,
                                "refusing interface name " + printable(interface) + " (not a plain name)"});
    static const std::string script =
        "d=/sys/class/net/$1; [ -d \"$d\" ] || { echo exists=0; exit 0; }; echo exists=1; "
        "echo \"operstate=$(cat \"$d/operstate\" 2>/dev/null)\"; echo \"carrier=$(cat \"$d/carrier\" 2>/dev/null)\"; "
        "echo \"ip_json=$(ip -j addr show dev \"$1\" 2>/dev/null | tr -d '\\n')\"";
    auto r = script_checked(remote, "link-state", script, {interface}, timeout);
    if (!r) return fail(r.error());
    const auto kv = parse_key_values(r->out);
    LinkState s;
    s.interface = interface;
    const auto exists = value_of(kv, "exists");
    if (exists != "0" && exists != "1") return fail(bad_reply(remote, command, r->out, "exists=0|1"));
    s.exists = exists == "1";
    if (!s.exists) return s;
    s.operstate = value_of(kv, "operstate");
    const auto carrier = value_of(kv, "carrier");
    if (carrier != "0" && carrier != "1" && !carrier.empty())
        return fail(bad_reply(remote, "cat /sys/class/net/" + interface + "/carrier", carrier, "0 or 1"));
    s.carrier = carrier == "1";
    const auto ip_json = value_of(kv, "ip_json");
    if (ip_json.empty()) return s;  // no iproute2 JSON (busybox ip): state without addresses
    try {
        const auto j = nlohmann::json::parse(ip_json);
        for (const auto& link : j) {
            if (!link.contains("addr_info")) continue;
            for (const auto& a : link.at("addr_info"))
                if (a.value("family", "") == "inet")
                    s.ipv4.push_back(a.at("local").get<std::string>() + "/" + std::to_string(a.value("prefixlen", 32)));
        }
    } catch (const nlohmann::json::exception&) {
        return fail(bad_reply(remote, command, ip_json, "iproute2 JSON (ip -j)"));
    }
    return s;
}

}  // namespace besrig::board
