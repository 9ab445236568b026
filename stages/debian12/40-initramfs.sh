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

initramfs_stage no-depmod
