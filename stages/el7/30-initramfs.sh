#!/bin/sh
# Stage initramfs (el7): depmod (the kernel went in without scriptlets) and one dracut run
# inside the root for the root's own kernel, never `uname -r`, with the spec's settings
# ($here/dracut.conf, kept in /etc/dracut.conf.d). Leaves vmlinuz, initramfs.img and
# kernel-version in $OUT.
set -eu
: "${ROOT:=/build/root}"
: "${OUT:=/build/out}"
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=../mounts.sh
. "$here/mounts.sh"
# shellcheck source-path=SCRIPTDIR source=../kernel.sh
. "$here/kernel.sh"

initramfs_stage depmod "$(gzip_compressor)" "$here/dracut.conf"
