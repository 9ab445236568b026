#!/bin/sh
# Stage bootstrap (debian12): a fresh minimal Debian 12 at $ROOT, from the mirror the builder
# image itself uses (its /etc/apt/sources.list), so no mirror is named in the project.
set -eu
: "${ROOT:=/build/root}"

mirror=$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\{0,1\}\([^[:space:]]\+\)[[:space:]]\+bookworm[[:space:]].*/\2/p' /etc/apt/sources.list | head -n 1)
if [ -z "$mirror" ]; then
    echo "bootstrap: no 'deb <mirror> bookworm' line in the builder's /etc/apt/sources.list" >&2
    exit 1
fi

rm -rf "$ROOT"
mkdir -p "$(dirname "$ROOT")"
echo "bootstrap: debootstrap --variant=minbase bookworm $ROOT $mirror"
debootstrap --variant=minbase bookworm "$ROOT" "$mirror"
# The root's own apt must see the same mirror later (packages stage) and in the image.
printf 'deb %s bookworm main\n' "$mirror" >"$ROOT/etc/apt/sources.list"
