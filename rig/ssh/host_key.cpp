#include "rig/ssh/host_key.hpp"

#include <system_error>

#include "rig/ssh/libssh_error.hpp"
#include "rig/ssh/ssh_handles.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace besrig::ssh {

HostKeyPolicy parse_host_key_policy(const std::string& text) {
    if (text == "strict" || text.empty()) return HostKeyPolicy::Strict;
    if (text == "accept-new") return HostKeyPolicy::AcceptNew;
    throw_config("board.mgmt.host_key_policy: expected \"strict\" or \"accept-new\", found " + printable(text));
}

std::string known_hosts_name(const std::string& host, int port) {
    if (port == 22) return host;
    return "[" + host + "]:" + std::to_string(port);
}

Result<HostKeyFacts, RemoteError> inspect_host_key(ssh_session session, const std::string& where) {
    ssh_key raw = nullptr;
    if (ssh_get_server_publickey(session, &raw) != SSH_OK)
        return fail(RemoteError{RemoteErrorKind::Protocol, where, "host key",
                                "cannot read the server's host key" + libssh_detail(session)});
    KeyPtr key(raw);
    unsigned char* hash = nullptr;
    std::size_t hash_len = 0;
    if (ssh_get_publickey_hash(key.get(), SSH_PUBLICKEY_HASH_SHA256, &hash, &hash_len) != SSH_OK)
        return fail(RemoteError{RemoteErrorKind::Protocol, where, "host key", "cannot hash the server's host key"});
    char* fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hash_len);
    ssh_clean_pubkey_hash(&hash);
    HostKeyFacts facts;
    if (fp != nullptr) {
        facts.fingerprint = fp;
        ssh_string_free_char(fp);
    }
    facts.key_type = ssh_key_type_to_char(ssh_key_type(key.get()));
    switch (ssh_session_is_known_server(session)) {
        case SSH_KNOWN_HOSTS_OK: facts.state = HostKeyFacts::State::Known; break;
        case SSH_KNOWN_HOSTS_CHANGED:
        case SSH_KNOWN_HOSTS_OTHER: facts.state = HostKeyFacts::State::Changed; break;
        case SSH_KNOWN_HOSTS_NOT_FOUND:
        case SSH_KNOWN_HOSTS_UNKNOWN: facts.state = HostKeyFacts::State::Unknown; break;
        case SSH_KNOWN_HOSTS_ERROR:
        default:
            return fail(RemoteError{RemoteErrorKind::HostKey, where, "host key",
                                    "cannot check the host key against known_hosts" + libssh_detail(session)});
    }
    return facts;
}

Result<Done, RemoteError> record_host_key(ssh_session session, const std::filesystem::path& known_hosts,
                                          const std::string& where) {
    std::error_code ec;
    if (known_hosts.has_parent_path()) std::filesystem::create_directories(known_hosts.parent_path(), ec);
    if (ssh_session_update_known_hosts(session) != SSH_OK)
        return fail(RemoteError{RemoteErrorKind::HostKey, where, "host key",
                                "cannot write " + known_hosts.string() + libssh_detail(session)});
    return Done{};
}

Result<HostKeyFacts, RemoteError> verify_host_key(ssh_session session, HostKeyPolicy policy,
                                                  const std::filesystem::path& known_hosts, const std::string& host,
                                                  int port, const std::string& where) {
    auto facts = inspect_host_key(session, where);
    if (!facts) return facts;
    const std::string name = known_hosts_name(host, port);
    const std::string key = facts->key_type + " key " + facts->fingerprint;
    switch (facts->state) {
        case HostKeyFacts::State::Known: return facts;
        case HostKeyFacts::State::Unknown:
            if (policy == HostKeyPolicy::AcceptNew) {
                if (auto rec = record_host_key(session, known_hosts, where); !rec) return fail(rec.error());
                return facts;
            }
            return fail(RemoteError{
                RemoteErrorKind::HostKey, where, "host key",
                "host key of " + name + " is not known (" + key + "; known_hosts: " + known_hosts.string() +
                    "). If this is your board, check the fingerprint on its console (ssh-keygen -lf on its host key) "
                    "and accept it with: besrig ssh accept-host-key  (or once: besrig --set "
                    "board.mgmt.host_key_policy=accept-new ...)"});
        case HostKeyFacts::State::Changed:
            return fail(RemoteError{
                RemoteErrorKind::HostKey, where, "host key",
                "HOST KEY CHANGED for " + name + ": the board now presents " + key + ", which does not match " +
                    known_hosts.string() +
                    ". Someone may be intercepting the link, or the board was reinstalled. Refused (also under "
                    "accept-new). If you know why it changed, remove the old entry with: ssh-keygen -R " +
                    shell_quote(name) + " -f " + shell_quote(known_hosts.string()) +
                    "  and then run: besrig ssh accept-host-key"});
    }
    return facts;
}

}  // namespace besrig::ssh
