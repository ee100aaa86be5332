# Fault item 10 (label faults): the board's host key changes. The board
# really gets a new ed25519 host key (generated on it; sshd re-reads it on
# SIGHUP). Every command that would reach it is refused with the new key's
# fingerprint and the exact commands that accept it; deploy and Phase 6
# change nothing. Following the message restores access; the board gets its
# own key back at the end.
. "$(dirname "$0")/harness.sh"
IPERF_PORT=5313
. "$BESRIG_SRC/tests/scenarios/fault_deploy_lib.sh"

deploy_preamble b c-prep
runs_before=$(q "SELECT count(*) FROM runs")
port=$(board_port)

# A new host key on the board; keep the old one to put back.
on_board 'set -e; cp /run/besrig/ssh_host_ed25519_key /run/fd-orig-key; cp /run/besrig/ssh_host_ed25519_key.pub /run/fd-orig-key.pub 2>/dev/null || true
  rm -f /run/fd-new-key /run/fd-new-key.pub; ssh-keygen -q -t ed25519 -N "" -C besrig-fault -f /run/fd-new-key'
on_board cat /run/fd-new-key.pub > "$work/new.pub"
new_fp=$(ssh-keygen -lf "$work/new.pub" | awk '{print $2}')
echo "[127.0.0.1]:$port $(cut -d' ' -f1-2 "$work/new.pub")" >> "$work/lever_known_hosts"
scenario_cleanup() {
  on_board 'cp /run/fd-orig-key /run/besrig/ssh_host_ed25519_key && kill -HUP "$(cat /run/sshd.pid)"'
  # sshd re-executes itself on SIGHUP: until it serves the old key again the
  # port resets connections, and the next scenario on the shared board would
  # meet that (at most 30 s).
  local key
  for _ in $(seq 30); do
    key=$(ssh-keyscan -t ed25519 -p "$port" 127.0.0.1 2>/dev/null | awk '{print $3}')
    [ -n "$key" ] && [ "$key" != "$(cut -d' ' -f2 "$work/new.pub")" ] && return 0
    sleep 1
  done
  echo "fault_deploy_host_key: the board's sshd did not serve its old key again within 30 s" >&2
}
on_board 'cp /run/fd-new-key /run/besrig/ssh_host_ed25519_key && kill -HUP "$(cat /run/sshd.pid)"'
# Until sshd serves the new key (it re-reads it on SIGHUP), at most 30 s.
for _ in $(seq 30); do
  ssh-keyscan -t ed25519 -p "$port" 127.0.0.1 2>/dev/null | grep -qF "$(cut -d' ' -f2 "$work/new.pub")" && break
  sleep 1
done

for cmd in "status" "deploy --patch c-prep --load" "run phase6 --patch c-prep"; do
  # shellcheck disable=SC2086
  b $cmd
  expect_status 2
  grep -qF "HOST KEY CHANGED" <<<"$out$err" || fail "$cmd: not refused as a changed host key: $out $err"
  grep -qF "$new_fp" <<<"$out$err" || fail "$cmd: the message lacks the new key's fingerprint $new_fp: $out $err"
  grep -qF "besrig ssh accept-host-key" <<<"$out$err" || fail "$cmd: the message lacks the accept command: $err"
  grep -qF "ssh-keygen -R" <<<"$out$err" || fail "$cmd: the message lacks how to remove the old entry: $err"
done
# Also under accept-new: a changed key is never accepted silently.
b --set board.mgmt.host_key_policy=accept-new status
expect_status 2
grep -qF "HOST KEY CHANGED" <<<"$out$err" || fail "accept-new accepted a changed key: $out $err"

# Follow the message: remove the old entry, accept the new key.
remove=$(grep -o "ssh-keygen -R .* -f [^ ]*" <<<"$out$err" | head -1)
[ -n "$remove" ] || fail "no ssh-keygen -R command in: $err"
eval "$remove" >/dev/null 2>&1 || fail "the printed command failed: $remove"
b ssh accept-host-key
expect_status 0
b status
expect_status 0
b_intact "after the changed key was refused"
[ "$(q "SELECT count(*) FROM runs")" -ge "$runs_before" ] || fail "runs lost"
end_checks
