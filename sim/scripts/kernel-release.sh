#!/bin/sh
# Print the release of the kernel the simulated board boots: $BESRIG_SIM_KERNEL_RELEASE,
# else the newest /boot/vmlinuz-* that has a matching /lib/modules directory.
set -eu
if [ -n "${BESRIG_SIM_KERNEL_RELEASE:-}" ]; then
  echo "$BESRIG_SIM_KERNEL_RELEASE"; exit 0
fi
best=
for k in /boot/vmlinuz-*; do
  [ -e "$k" ] || continue
  r=${k#/boot/vmlinuz-}
  [ -d "/lib/modules/$r" ] && best=$r
done
if [ -z "$best" ]; then
  echo "kernel-release: error: no /boot/vmlinuz-* with modules (install linux-image-amd64)" >&2
  exit 1
fi
# Glob order is lexical; good enough to pick among Debian's -N-amd64 releases.
echo "$best"
