#include "rig/board/module_identity.hpp"

#include "util/strings.hpp"

namespace besrig::board {
namespace {

bool is_hex64(const std::string& s) {
    if (s.size() != 64) return false;
    for (const char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace

std::string to_string(IdentityMatch m) {
    switch (m) {
        case IdentityMatch::Same: return "same";
        case IdentityMatch::Differ: return "DIFFER";
        case IdentityMatch::NotLoaded: return "not loaded";
        case IdentityMatch::NotInstalled: return "not installed";
        case IdentityMatch::Unknown: return "unknown (no srcversion)";
    }
    return "unknown";
}

Result<InstalledModule, RemoteError> installed_module(Remote& remote, const std::string& path, milliseconds timeout) {
    // One round trip: presence, hash, size, and the .modinfo fields we need.
    static const std::string script =
        "[ -e \"$1\" ] || { echo present=0; exit 0; }; echo present=1; "
        "echo \"sha256=$(sha256sum \"$1\" | cut -d' ' -f1)\"; echo \"size=$(wc -c < \"$1\")\"; "
        "tr '\\000' '\\n' < \"$1\" | grep -a -E '^(srcversion|vermagic)=' | head -n 2";
    auto r = script_checked(remote, "installed-module", script, {path}, timeout);
    if (!r) return fail(r.error());
    const std::string command = "sha256sum " + shell_quote(path);
    const auto kv = parse_key_values(r->out);
    InstalledModule m;
    m.path = path;
    const auto present = value_of(kv, "present");
    if (present != "0" && present != "1") return fail(bad_reply(remote, command, r->out, "present=0|1"));
    m.present = present == "1";
    if (!m.present) return m;
    m.sha256 = value_of(kv, "sha256");
    if (!is_hex64(m.sha256)) return fail(bad_reply(remote, command, m.sha256, "a sha256 (64 hex digits)"));
    const auto size = parse_int(trim(value_of(kv, "size")));
    if (!size || *size < 0) return fail(bad_reply(remote, "wc -c < " + shell_quote(path), value_of(kv, "size"), "a byte count"));
    m.size = static_cast<std::uint64_t>(*size);
    m.srcversion = value_of(kv, "srcversion");
    m.vermagic = value_of(kv, "vermagic");
    return m;
}

Result<RunningModule, RemoteError> running_module(Remote& remote, const std::string& name, milliseconds timeout) {
    const std::string command = "cat /sys/module/" + name + "/srcversion";
    if (!is_plain_name(name))
        return fail(RemoteError{RemoteErrorKind::BadReply, remote.where(), command,
                                "refusing module name " + printable(name) + " (not a plain name)"});
    static const std::string script =
        "d=/sys/module/$1; if [ -d \"$d\" ]; then echo loaded=1; else echo loaded=0; fi; "
        "for f in srcversion version refcnt initstate; do [ -r \"$d/$f\" ] && echo \"$f=$(cat \"$d/$f\")\"; done; "
        "echo \"tainted=$(cat /proc/sys/kernel/tainted)\"";
    auto r = script_checked(remote, "running-module", script, {name}, timeout);
    if (!r) return fail(r.error());
    const auto kv = parse_key_values(r->out);
    RunningModule m;
    m.name = name;
    const auto loaded = value_of(kv, "loaded");
    if (loaded != "0" && loaded != "1") return fail(bad_reply(remote, command, r->out, "loaded=0|1"));
    // A built-in module has /sys/module/<m> but no initstate: not "loaded" by us.
    m.loaded = loaded == "1" && has_key(kv, "initstate");
    m.srcversion = value_of(kv, "srcversion");
    m.version = value_of(kv, "version");
    m.initstate = value_of(kv, "initstate");
    if (has_key(kv, "refcnt")) {
        const auto rc = parse_int(value_of(kv, "refcnt"));
        if (!rc) return fail(bad_reply(remote, "cat /sys/module/" + name + "/refcnt", value_of(kv, "refcnt"), "a number"));
        m.refcount = static_cast<int>(*rc);
    }
    const auto taint = parse_int(value_of(kv, "tainted"));
    if (!taint || *taint < 0)
        return fail(bad_reply(remote, "cat /proc/sys/kernel/tainted", value_of(kv, "tainted"), "a number"));
    m.tainted = *taint;
    return m;
}

IdentityMatch compare(const InstalledModule& installed, const RunningModule& running) {
    if (!running.loaded) return IdentityMatch::NotLoaded;
    if (!installed.present) return IdentityMatch::NotInstalled;
    if (installed.srcversion.empty() || running.srcversion.empty()) return IdentityMatch::Unknown;
    return installed.srcversion == running.srcversion ? IdentityMatch::Same : IdentityMatch::Differ;
}

Result<ModuleIdentity, RemoteError> module_identity(Remote& remote, const std::string& name, const std::string& path,
                                                    milliseconds timeout) {
    auto installed = installed_module(remote, path, timeout);
    if (!installed) return fail(installed.error());
    auto running = running_module(remote, name, timeout);
    if (!running) return fail(running.error());
    ModuleIdentity id{std::move(installed).value(), std::move(running).value(), IdentityMatch::Unknown};
    id.match = compare(id.installed, id.running);
    return id;
}

std::string taint_letters(long long tainted) {
    // Documentation/admin-guide/tainted-kernels.rst, bit order.
    static const char* letters = "PFSRMBUDAWCIOELKXT";
    std::string out;
    for (int bit = 0; letters[bit] != '\0'; ++bit)
        if ((tainted >> bit) & 1) out += letters[bit];
    return out.empty() ? "none" : out;
}

}  // namespace besrig::board
