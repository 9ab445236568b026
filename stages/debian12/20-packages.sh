#!/bin/sh
# Stage packages (debian12): installs the profile's required set plus the spec's packages
# ($ROCLUSTER_PACKAGES, space-separated) with apt inside the root.
#
# The kernel's postinst (and dracut's trigger) would run dracut at once (~55 s, and it fails
# before rocluster's dracut config exists). Debian's dracut hook skips its work when INITRD=No,
# so the install runs with that setting and leaves the hook in place: the image still
# regenerates its initramfs on a later kernel update. The initramfs stage runs dracut once.
set -eu
: "${ROOT:=/build/root}"
: "${ROCLUSTER_PACKAGES:?space-separated package list}"
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=../mounts.sh
. "$here/mounts.sh"

in_root() {
    chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}

mount_api_filesystems

# No daemon may start inside the build root.
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 0755 "$ROOT/usr/sbin/policy-rc.d"

in_root apt-get update
# shellcheck disable=SC2086 # the list is split on purpose
in_root env INITRD=No apt-get install -y --no-install-recommends $ROCLUSTER_PACKAGES

rm -f "$ROOT/usr/sbin/policy-rc.d"
in_root apt-get clean
# The mirror's indexes, translations included (32 MB): apt on a read-only client never uses them.
find "$ROOT/var/lib/apt/lists" -maxdepth 1 -type f ! -name lock -delete
