# shellcheck shell=sh
# Sourced by the debian12 scripts: the mirror the builder image itself uses (its
# /etc/apt/sources.list, written by containers/debian12/import-base.sh from the host's apt
# configuration), so no mirror is named in the project.

builder_mirror() {
    mirror=$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\{0,1\}\([^[:space:]]\+\)[[:space:]]\+bookworm[[:space:]].*/\2/p' /etc/apt/sources.list | head -n 1)
    if [ -z "$mirror" ]; then
        echo "no 'deb <mirror> bookworm' line in the builder's /etc/apt/sources.list" >&2
        exit 1
    fi
    echo "$mirror"
}
