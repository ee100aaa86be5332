#!/bin/sh
# Boot Debian's 6.1 kernel in QEMU TCG (2 vCPUs) with two user-mode NICs:
# enu1 (10.0.2.0/24, management stand-in) and wphy0 (10.0.3.0/24, data; the
# host is 10.0.3.2).  SHARE (read-write 9p, /mnt in the guest) must contain
# guest.sh; its output goes to SHARE/guest.log.  Used by measure-variants.sh
# when no simulated board (besrig sim) is available.
# usage: run.sh SHARE [TIMEOUT_S]
set -eu
share=${1:?usage: run.sh SHARE [TIMEOUT_S]}
tmo=${2:-600}
here=$(cd "$(dirname "$0")" && pwd)
rel=6.1.0-56-amd64
initrd=${DRIVER_VM_INITRD:-/tmp/driver-vm-initrd.cpio.gz}
[ -f "$initrd" ] || "$here/mkinitrd.sh" "$initrd" "$rel"
timeout "$tmo" qemu-system-x86_64 -accel tcg,thread=multi -smp 2 -m 1024 \
  -kernel /boot/vmlinuz-$rel -initrd "$initrd" \
  -append "console=ttyS0 quiet loglevel=3 log_buf_len=4M panic=5" \
  -nographic -no-reboot \
  -fsdev local,id=hr,path=/,security_model=none,readonly=on \
  -device virtio-9p-pci,fsdev=hr,mount_tag=hostroot \
  -fsdev local,id=sh,path="$share",security_model=none \
  -device virtio-9p-pci,fsdev=sh,mount_tag=share \
  -netdev user,id=m,net=10.0.2.0/24 -device virtio-net-pci,netdev=m,mac=52:54:00:be:00:01 \
  -netdev user,id=d,net=10.0.3.0/24 -device virtio-net-pci,netdev=d,mac=52:54:00:be:00:02 \
  > "$share/console.log" 2>&1 || echo "run.sh: qemu exit $?" >&2
