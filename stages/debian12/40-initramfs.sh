#!/bin/sh
# Stage initramfs (debian12): runs dracut once, inside the root, for the root's own kernel
# (never `uname -r`: that is the build host's), with the settings the readonly stage wrote to
# /etc/dracut.conf.d. Leaves vmlinuz, initramfs.img and kernel-version in $OUT, outside the root.
set -eu
: "${ROOT:=/build/root}"
: "${OUT:=/build/out}"
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=../mounts.sh
. "$here/mounts.sh"
# shellcheck source-path=SCRIPTDIR source=../kernel.sh
. "$here/kernel.sh"

kver=$(image_kernel_version)
mount_api_filesystems
echo "initramfs: dracut for kernel $kver"
chroot "$ROOT" dracut --force --no-hostonly --kver "$kver" /tmp/rocluster-initramfs.img
unmount_api_filesystems
publish_boot_files "$kver" "$ROOT/boot/vmlinuz-$kver"
