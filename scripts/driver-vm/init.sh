#!/bin/sh
export PATH=/bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs dev /dev
for m in $(cat /mods/order); do insmod /mods/$m.ko; done
o=trans=virtio,version=9p2000.L,msize=524288
mount -t 9p -o $o,ro hostroot /lower
mount -t tmpfs rw /rw; mkdir -p /rw/u /rw/w
mount -t overlay -o lowerdir=/lower,upperdir=/rw/u,workdir=/rw/w root /newroot
n=/newroot
mount -t 9p -o $o,rw share $n/mnt
mount -t tmpfs tmp $n/tmp; mount -t tmpfs run $n/run
mount --move /proc $n/proc; mount --move /sys $n/sys; mount --move /dev $n/dev
mount -t debugfs debugfs $n/sys/kernel/debug
mount -t tracefs tracefs $n/sys/kernel/tracing
mkdir -p $n/dev/pts; mount -t devpts devpts $n/dev/pts
exec switch_root $n /bin/sh -c '/bin/sh /mnt/guest.sh > /mnt/guest.log 2>&1; sync; echo o > /proc/sysrq-trigger; sleep 5'
