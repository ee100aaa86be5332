#!/bin/bash
# Shell entry point for the simulated board (the C++ `besrig sim` does the same).
#
#   dev-board.sh up STATE_DIR      boot a board, wait for SSH, print the ssh command
#   dev-board.sh down STATE_DIR    QMP quit, SIGKILL after 10 s
#   dev-board.sh status STATE_DIR
#   dev-board.sh ssh STATE_DIR [COMMAND...]
#   dev-board.sh qmp STATE_DIR '{"execute":"system_reset"}'
#
# Environment: BESRIG_SIM_MEM (default 512M), BESRIG_SIM_BOOT_TIMEOUT (s, default 90),
# BESRIG_SIM_SSH_PORT (default: first free from 10022), BESRIG_SIM_KERNEL_RELEASE.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:-}
state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || { sed -n '2,12p' "$0" >&2; exit 2; }
mkdir -p "$state"
state=$(cd "$state" && pwd)

MGMT_MAC=52:54:00:be:51:01
DATA_MAC=52:54:00:be:51:02

die() { echo "dev-board: error: $*" >&2; exit 1; }

need() { # need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 || die "$1 not found (apt-get install $2)"
}

pid_alive() {
  [ -f "$state/qemu.pid" ] || return 1
  local pid; pid=$(cat "$state/qemu.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    grep -qa qemu-system "/proc/$pid/cmdline" 2>/dev/null
}

port_free() {
  ! ss -Htln "sport = :$1" 2>/dev/null | grep -q .
}

banner() { # banner PORT: true once sshd's greeting comes back through the forward
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && head -c 4 <&3" 2>/dev/null | grep -q '^SSH-'
}

ssh_args() {
  local port; port=$(cat "$state/ssh_port")
  echo -i "$state/id_ed25519" -o UserKnownHostsFile="$state/known_hosts" \
    -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 \
    -o LogLevel=ERROR -p "$port" root@127.0.0.1
}

qmp() { # qmp JSON-COMMAND...: runs each command after the capabilities handshake
  need socat socat
  { echo '{"execute":"qmp_capabilities"}'; for c in "$@"; do echo "$c"; done; sleep 0.5; } |
    socat -t 2 - "UNIX-CONNECT:$state/qmp.sock"
}

do_up() {
  need qemu-system-x86_64 qemu-system-x86
  need sshd openssh-server
  need ssh-keygen openssh-client
  [ -x /bin/busybox ] || die "/bin/busybox not found (apt-get install busybox-static)"
  pid_alive && die "board in $state already running (pid $(cat "$state/qemu.pid"))"
  rm -f "$state/qemu.pid" "$state/qmp.sock"

  local release kernel
  release=$("$here/scripts/kernel-release.sh")
  kernel=/boot/vmlinuz-$release
  [ -r "$kernel" ] || die "$kernel not readable (apt-get install linux-image-amd64)"

  "$here/mkinitramfs.sh" "$state/initramfs.cpio.gz" "$release"

  mkdir -p "$state/board" "$state/disk"
  [ -f "$state/id_ed25519" ] ||
    ssh-keygen -q -t ed25519 -N '' -C "besrig-controller@$(basename "$state")" -f "$state/id_ed25519"
  [ -f "$state/board/ssh_host_ed25519_key" ] ||
    ssh-keygen -q -t ed25519 -N '' -C "ohm-host-key" -f "$state/board/ssh_host_ed25519_key"
  cp "$state/id_ed25519.pub" "$state/board/authorized_keys"
  cat > "$state/board/board.env" <<ENV
BOARD_HOSTNAME=ohm
MGMT_MAC=$MGMT_MAC
DATA_MAC=$DATA_MAC
MGMT_ADDR=10.0.2.15/24
MGMT_GW=10.0.2.2
WLAN_ADDR=10.0.3.15/24
AUTOLOAD_MODULE=bes2600
AUTOLOAD_PARAMS=lower=wphy0
ENV

  local port=${BESRIG_SIM_SSH_PORT:-}
  if [ -z "$port" ]; then
    port=10022
    while ! port_free "$port"; do port=$((port + 1)); done
  fi
  echo "$port" > "$state/ssh_port"
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$state/board/ssh_host_ed25519_key.pub")" > "$state/known_hosts"

  : > "$state/console.log"
  local t0; t0=$(date +%s%N)
  qemu-system-x86_64 \
    -name "ohm,process=besrig-sim" \
    -accel tcg,tb-size=256 -machine pc -cpu max -m "${BESRIG_SIM_MEM:-512M}" -smp 2 \
    -display none -nodefaults -no-user-config \
    -chardev "file,id=console,path=$state/console.log,append=on" -serial chardev:console \
    -qmp "unix:$state/qmp.sock,server=on,wait=off" \
    -kernel "$kernel" -initrd "$state/initramfs.cpio.gz" \
    -append "console=ttyS0,115200 loglevel=${BESRIG_SIM_LOGLEVEL:-4} mitigations=off tsc=reliable no_timer_check" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs local,path=/,mount_tag=hostlive,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$state/board,mount_tag=board,security_model=none,readonly=on" \
    -virtfs "local,path=$state/disk,mount_tag=disk,security_model=none" \
    -netdev "user,id=mgmt,net=10.0.2.0/24,restrict=on,hostfwd=tcp:127.0.0.1:$port-10.0.2.15:22" \
    -device "virtio-net-pci,netdev=mgmt,mac=$MGMT_MAC" \
    -netdev user,id=data,net=10.0.3.0/24,host=10.0.3.2 \
    -device "virtio-net-pci,netdev=data,mac=$DATA_MAC" \
    -pidfile "$state/qemu.pid" -daemonize

  local deadline=${BESRIG_SIM_BOOT_TIMEOUT:-90}
  # shellcheck disable=SC2046
  until banner "$port" && ssh $(ssh_args) true 2>/dev/null; do
    if ! pid_alive; then
      echo "dev-board: QEMU exited during boot; last console lines:" >&2
      tail -n 30 "$state/console.log" >&2; exit 1
    fi
    if (( ($(date +%s%N) - t0) / 1000000000 >= deadline )); then
      echo "dev-board: no SSH within ${deadline}s; last console lines:" >&2
      tail -n 30 "$state/console.log" >&2
      do_down >/dev/null 2>&1 || true
      exit 1
    fi
    sleep 0.2
  done
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  printf 'board up: boot to SSH %d.%d s\n' $((ms / 1000)) $((ms % 1000 / 100))
  echo "ssh: ssh $(ssh_args)"
}

do_down() {
  if ! pid_alive; then
    rm -f "$state/qemu.pid" "$state/qmp.sock"; echo "board down"; return 0
  fi
  local pid; pid=$(cat "$state/qemu.pid")
  qmp '{"execute":"quit"}' >/dev/null 2>&1 || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "dev-board: QEMU did not quit, sending SIGKILL" >&2
    kill -KILL "$pid"
  fi
  rm -f "$state/qemu.pid" "$state/qmp.sock"
  echo "board down"
}

case $cmd in
  up) do_up ;;
  down) do_down ;;
  status)
    if pid_alive; then echo "running pid=$(cat "$state/qemu.pid") ssh_port=$(cat "$state/ssh_port")"
    else echo down; fi ;;
  ssh) shift 2
    # shellcheck disable=SC2046
    exec ssh $(ssh_args) "$@" ;;
  qmp) shift 2; qmp "$@" ;;
  *) die "unknown command $cmd" ;;
esac
