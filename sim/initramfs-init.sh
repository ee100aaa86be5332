#!/bin/sh
# PID 1 of the simulated board's initramfs.
# Mounts the host root (9p tag "hostroot", read-only, cached for speed) under a
# tmpfs overlay, the same host root uncached at /host (tag "hostlive": files
# that change on the host, e.g. a freshly built module, are seen there at once),
# adds the board's own files (9p tag "board", read-only: host key, authorized
# keys, board.env) and its persistent "disk" (9p tag "disk", read-write), then
# switch_roots into busybox init with an inittab that runs board-init.sh.
export PATH=/bin

fail() {
  echo "besrig-init: FATAL: $*"
  echo "besrig-init: dropping to a shell on the console"
  exec sh
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

release=$(cat /besrig/release)
for m in $(cat /lib/besrig-modules/order); do
  insmod "/lib/besrig-modules/$m.ko" || fail "insmod $m"
done

HOSTROOT_CACHE=loose
p9="trans=virtio,version=9p2000.L,msize=524288"
mount -t 9p -o "$p9,ro${HOSTROOT_CACHE:+,cache=$HOSTROOT_CACHE}" hostroot /lower || fail "mount hostroot over 9p"
mount -t 9p -o "$p9,ro" hostlive /hostlive || fail "mount hostlive over 9p"
mount -t 9p -o "$p9,ro" board /board || fail "mount board share over 9p"
mount -t 9p -o "$p9,rw" disk /disk || fail "mount disk share over 9p"

mount -t tmpfs -o mode=0755 ram /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work board-root /newroot \
  || fail "mount overlay"

n=/newroot
# Fresh kernel filesystems and scratch space over whatever the host root shows.
mount -t tmpfs -o mode=0755,nosuid,nodev run $n/run
mount -t tmpfs -o mode=1777,nosuid,nodev tmp $n/tmp
# root's home is the board's own: the host's dotfiles (slow shell init, keys) stay hidden.
mount -t tmpfs -o mode=0700 roothome $n/root
mkdir -p $n/host
mount --move /hostlive $n/host
mount --move /proc $n/proc
mount --move /sys $n/sys
mount --move /dev $n/dev
mkdir -p $n/dev/pts $n/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=000 devpts $n/dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev shm $n/dev/shm
mount -t tracefs tracefs $n/sys/kernel/tracing
mount -t debugfs debugfs $n/sys/kernel/debug

# The board's disk: what survives a power cycle, like the tablet's eMMC.
mkdir -p /disk/extra /disk/var-tmp
chmod 1777 /disk/var-tmp
mkdir -p $n/lib/modules/$release/extra $n/var/tmp
mount --bind /disk/extra $n/lib/modules/$release/extra
mount --bind /disk/var-tmp $n/var/tmp

# Board-private files live in /run/besrig (tmpfs); the host's /etc/ssh keys are never used.
b=$n/run/besrig
mkdir -p $b/bin
chmod 0700 $b
cp /bin/busybox $b/bin/busybox
cp /besrig/board-init.sh /besrig/wlan-watch.sh /besrig/release $b/
cp /board/board.env $b/board.env || fail "board.env missing in the board share"
cp /board/ssh_host_ed25519_key $b/ssh_host_ed25519_key || fail "host key missing in the board share"
cp /board/authorized_keys $b/authorized_keys || fail "authorized_keys missing in the board share"
chmod 0600 $b/ssh_host_ed25519_key $b/authorized_keys
umount /board

cat > $n/etc/inittab <<'TAB'
::sysinit:/run/besrig/board-init.sh
::respawn:/usr/sbin/sshd -D -e -f /run/besrig/sshd_config
::respawn:/run/besrig/wlan-watch.sh
::ctrlaltdel:/run/besrig/bin/busybox reboot
::shutdown:/run/besrig/bin/busybox sync
TAB

exec switch_root $n /run/besrig/bin/busybox init
