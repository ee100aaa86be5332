# Sourced by scenarios that need a board to talk SSH to: starts a real OpenSSH
# sshd on 127.0.0.1 on a free port (the shell twin of
# tests/support/local_sshd.hpp), with fresh host and client keys under
# $work/sshd, and writes $work/rig.json pointing board.mgmt at it (strict
# host-key policy, empty known_hosts). Skips (77) when sshd is unavailable.
[ -x /usr/sbin/sshd ] || skip "no /usr/sbin/sshd (apt-get install openssh-server)"
command -v ssh-keygen >/dev/null || skip "no ssh-keygen"
sshd_dir="$work/sshd"
mkdir -p "$sshd_dir" /run/sshd
ssh-keygen -q -t ed25519 -N '' -C besrig-test -f "$sshd_dir/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -C besrig-test -f "$sshd_dir/client_ed25519"
cp "$sshd_dir/client_ed25519.pub" "$sshd_dir/authorized_keys"
: > "$sshd_dir/known_hosts"
sshd_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$sshd_dir/sshd_config" <<CFG
ListenAddress 127.0.0.1
Port $sshd_port
HostKey $sshd_dir/host_ed25519
AuthorizedKeysFile $sshd_dir/authorized_keys
PidFile $sshd_dir/sshd.pid
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
Subsystem sftp internal-sftp
CFG
/usr/sbin/sshd -D -e -f "$sshd_dir/sshd_config" 2>"$sshd_dir/sshd.log" &
sshd_pid=$!
stop_sshd() { kill "$sshd_pid" 2>/dev/null || true; wait "$sshd_pid" 2>/dev/null || true; rm -rf "$work"; }
trap stop_sshd EXIT
for _ in $(seq 1 150); do
  (exec 3<>"/dev/tcp/127.0.0.1/$sshd_port") 2>/dev/null && break
  kill -0 "$sshd_pid" 2>/dev/null || skip "sshd did not start: $(cat "$sshd_dir/sshd.log")"
  sleep 0.1
done
sshd_fingerprint=$(ssh-keygen -l -E sha256 -f "$sshd_dir/host_ed25519.pub" | awk '{print $2}')
cat > "$work/rig.json" <<JSON
{
  "board": { "name": "local", "kind": "real",
    "mgmt": { "host": "127.0.0.1", "port": $sshd_port, "user": "root",
              "identity_file": "$sshd_dir/client_ed25519", "known_hosts": "$sshd_dir/known_hosts",
              "host_key_policy": "strict" },
    "data": { "interface": "lo" } },
  "module": { "name": "besrig_test_mod", "install_path": "$sshd_dir/lib/modules/{release}/extra/{module}.ko" },
  "timeouts": { "connect_s": 10, "command_s": 30, "keepalive_s": 1 }
}
JSON
export BESRIG_CONFIG="$work/rig.json"
