#!/bin/sh
# Stage packages (el7): installs the profile's required set plus the spec's packages
# ($ROCLUSTER_PACKAGES, space-separated) into the root.
#
# The kernel package's scriptlets would build an initramfs (and grub entries) at once, which the
# initramfs stage does anyway with rocluster's dracut settings: the kernel goes in last, in its
# own transaction without scriptlets, after everything it depends on is installed normally.
set -eu
: "${ROOT:=/build/root}"
: "${ROCLUSTER_PACKAGES:?space-separated package list}"
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=../mounts.sh
. "$here/mounts.sh"
conf=/etc/rocluster/yum.conf

mount_api_filesystems
others=""
kernel=""
for p in $ROCLUSTER_PACKAGES; do
    case "$p" in
        kernel) kernel=kernel ;;
        *) others="$others $p" ;;
    esac
done
# shellcheck disable=SC2086 # the list is split on purpose
yum -c "$conf" --installroot="$ROOT" --releasever=7 -y install $others
if [ -n "$kernel" ]; then
    yum -c "$conf" --installroot="$ROOT" --releasever=7 -y --setopt=tsflags=noscripts install kernel
fi
# yum exits 0 when some named packages do not exist: make that an error.
# shellcheck disable=SC2086
missing=$(rpm --root "$ROOT" -q $ROCLUSTER_PACKAGES | sed -n 's/^package \(.*\) is not installed$/\1/p')
if [ -n "$missing" ]; then
    echo "packages: not installed (no such package in the repositories?): $(echo "$missing" | tr "\n" " ")" >&2
    exit 1
fi
yum -c "$conf" --installroot="$ROOT" clean all
unmount_api_filesystems
