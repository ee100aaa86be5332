#!/bin/sh
# Minimal initramfs for driver tests (scripts/driver-vm/run.sh): busybox,
# virtio/9p/overlay modules of one kernel release, an /init that overlays the
# host root (9p, read-only) with tmpfs, mounts the test share and runs
# /share/guest.sh inside it, then powers off.
# usage: mkinitrd.sh OUT.cpio.gz [RELEASE]
set -eu
out=${1:?usage: mkinitrd.sh OUT.cpio.gz [RELEASE]}
rel=${2:-6.1.0-56-amd64}
here=$(cd "$(dirname "$0")" && pwd)
md=/lib/modules/$rel
[ -d "$md" ] || { echo "mkinitrd: no $md (apt-get install linux-image-amd64)" >&2; exit 1; }
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir -p "$w/bin" "$w/mods" "$w/proc" "$w/sys" "$w/dev" "$w/lower" "$w/rw" "$w/newroot" "$w/share"
cp /bin/busybox "$w/bin/busybox"
for a in sh mount insmod switch_root mkdir cat echo sleep; do ln -s busybox "$w/bin/$a"; done
: > "$w/mods/order"
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci \
         netfs fscache 9pnet 9pnet_virtio 9p overlay failover net_failover virtio_net; do
  p=$(grep -E "/$m\.ko(\.(xz|zst|gz))?:" "$md/modules.dep" | head -n1 | cut -d: -f1) || true
  [ -n "$p" ] || continue
  case $p in
    *.ko) cp "$md/$p" "$w/mods/$m.ko" ;;
    *.xz) xz -dc "$md/$p" > "$w/mods/$m.ko" ;;
    *.zst) zstd -qdc "$md/$p" > "$w/mods/$m.ko" ;;
  esac
  echo "$m" >> "$w/mods/order"
done
cp "$here/init.sh" "$w/init"; chmod 755 "$w/init"
(cd "$w" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out"
