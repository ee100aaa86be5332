#!/bin/sh
# Build the simulated board's initramfs: static busybox, the virtio/9p/overlay
# modules of one kernel release, and an /init that switches into the host root
# (read-only over 9p, under a tmpfs overlay).
#
# usage: mkinitramfs.sh OUTPUT.cpio.gz [KERNEL_RELEASE]
# The release defaults to the newest /boot/vmlinuz-*. Writes OUTPUT atomically.
set -eu

out=${1:?usage: mkinitramfs.sh OUTPUT.cpio.gz [KERNEL_RELEASE]}
here=$(cd "$(dirname "$0")" && pwd)
release=${2:-$("$here/scripts/kernel-release.sh")}
moddir=/lib/modules/$release
busybox=${BESRIG_SIM_BUSYBOX:-/bin/busybox}

# Load order matters: insmod does not resolve dependencies.
modules="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
netfs fscache 9pnet 9pnet_virtio 9p overlay failover net_failover virtio_net"

die() { echo "mkinitramfs: error: $*" >&2; exit 1; }

[ -d "$moddir" ] || die "no modules for $release in $moddir (install linux-image-amd64)"
[ -x "$busybox" ] || die "$busybox missing (install busybox-static)"
case $(file -b "$busybox" 2>/dev/null || echo static) in
  *dynamically*) die "$busybox is dynamically linked (install busybox-static)" ;;
esac
command -v cpio >/dev/null || die "cpio missing (install cpio)"

work=$(mktemp -d "${TMPDIR:-/tmp}/besrig-initramfs.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

mkdir -p "$work/bin" "$work/lib/besrig-modules" "$work/proc" "$work/sys" "$work/dev" \
         "$work/lower" "$work/hostlive" "$work/rw" "$work/newroot" "$work/board" "$work/disk" "$work/besrig"
cp "$busybox" "$work/bin/busybox"
for applet in sh mount umount mkdir insmod switch_root cat echo ln cp chmod sleep grep \
              mknod rm mountpoint; do
  ln -s busybox "$work/bin/$applet"
done

# Modules built into the kernel are skipped; compressed ones are unpacked
# because busybox insmod reads plain ELF.
: > "$work/lib/besrig-modules/order"
for m in $modules; do
  if grep -qE "/$m\.ko(\.[a-z]+)?\$" "$moddir/modules.builtin" 2>/dev/null; then
    continue
  fi
  path=$(grep -E "/$m\.ko(\.(xz|zst|gz))?:" "$moddir/modules.dep" | head -n1 | cut -d: -f1)
  [ -n "$path" ] || die "module $m is neither built in nor in $moddir/modules.dep"
  src=$moddir/$path
  dst=$work/lib/besrig-modules/$m.ko
  case $src in
    *.ko)     cp "$src" "$dst" ;;
    *.ko.xz)  xz -dc "$src" > "$dst" ;;
    *.ko.zst) zstd -qdc "$src" > "$dst" ;;
    *.ko.gz)  gzip -dc "$src" > "$dst" ;;
  esac
  echo "$m" >> "$work/lib/besrig-modules/order"
done

cp "$here/initramfs-init.sh" "$work/init"
cp "$here/board-init.sh" "$here/wlan-watch.sh" "$work/besrig/"
chmod 0755 "$work/init" "$work/besrig/"*.sh
echo "$release" > "$work/besrig/release"

tmp=$out.tmp.$$
(cd "$work" && find . -print | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -1 > "$tmp"
mv -f "$tmp" "$out"
