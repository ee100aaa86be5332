#!/bin/sh
# Prepare an arm64 kernel build tree for cross-building the module when no
# Debian arm64 header package is installable (Debian ships
# linux-headers-*-arm64 only for the arm64 architecture).
# Uses linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz), arm64 defconfig,
# `make modules_prepare`.  Prints the KDIR to pass to Makefile.kbuild:
#
#   kdir=$(scripts/arm64-kdir.sh build/arm64-kdir)
#   make -f Makefile.kbuild ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- KDIR=$kdir PATCH=b
#
# Needs: linux-source-6.1 gcc-aarch64-linux-gnu bc bison flex libssl-dev
# Note: the vermagic is that of a generic 6.1 arm64 defconfig build, not of a
# given board's kernel: this proves the cross build, it does not make a deployable module.
set -eu
dir=${1:-build/arm64-kdir}
tarball=$(ls /usr/src/linux-source-6.1*.tar.xz 2>/dev/null | head -n1)
[ -n "$tarball" ] || { echo "arm64-kdir: no /usr/src/linux-source-6.1*.tar.xz (apt-get install linux-source-6.1)" >&2; exit 2; }
command -v aarch64-linux-gnu-gcc >/dev/null || { echo "arm64-kdir: aarch64-linux-gnu-gcc missing (apt-get install gcc-aarch64-linux-gnu)" >&2; exit 2; }
mkdir -p "$dir"
src=$(cd "$dir" && pwd)/src
if [ ! -f "$src/.besrig-prepared" ]; then
  rm -rf "$src"; mkdir -p "$src"
  tar -xf "$tarball" -C "$src" --strip-components=1 >&2
  make -s -C "$src" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- defconfig >&2
  make -s -C "$src" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- -j2 modules_prepare >&2
  touch "$src/.besrig-prepared"
fi
echo "$src"
