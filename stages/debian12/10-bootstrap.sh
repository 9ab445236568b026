#!/bin/sh
# Stage bootstrap (debian12): a fresh minimal Debian 12 at $ROOT, from the mirror the builder
# image itself uses (its /etc/apt/sources.list), so no mirror is named in the project.
set -eu
: "${ROOT:=/build/root}"
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=mirror.sh
. "$here/mirror.sh"

mirror=$(builder_mirror)

rm -rf "$ROOT"
mkdir -p "$(dirname "$ROOT")"
echo "bootstrap: debootstrap --variant=minbase bookworm $ROOT $mirror"
debootstrap --variant=minbase bookworm "$ROOT" "$mirror"
# The root's own apt must see the same mirror later (packages stage) and in the image.
printf 'deb %s bookworm main\n' "$mirror" >"$ROOT/etc/apt/sources.list"
