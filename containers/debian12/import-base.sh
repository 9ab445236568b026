#!/bin/sh
# Creates the Docker image debian:12 without a container registry: debootstraps a minimal
# Debian 12 tree on this host and `docker import`s it. The Debian mirror is the one this host's
# apt already uses (sources.list and deb822 .sources files), so nothing here names a mirror;
# set ROCLUSTER_DEBIAN_MIRROR to override it.
#
# Usage: containers/debian12/import-base.sh [TAG]      (default TAG: debian:12)
# Needs: root, debootstrap, docker. Takes about 1-2 minutes.
set -eu

tag=${1:-debian:12}
suite=bookworm

# Prints the URI of the first apt source (one-line or deb822) that serves $suite as a binary
# ("deb") repository; third-party repositories use other suite names and so never match.
host_mirror() {
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        # deb [options] URI SUITE COMPONENTS...
        uri=$(sed -n 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\{0,1\}\([^[:space:]]\+\)[[:space:]]\+'"$suite"'[[:space:]].*/\2/p' "$f" | head -n 1)
        if [ -n "$uri" ]; then
            echo "$uri"
            return 0
        fi
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        # deb822: stanzas separated by blank lines; take URIs of a stanza whose Types has deb
        # and whose Suites has $suite.
        uri=$(awk -v suite="$suite" '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uris != "" && found == "") {
                    split(uris, u, " "); found = u[1]
                }
                types = ""; suites = ""; uris = ""
            }
            /^[[:space:]]*#/ { next }
            /^[[:space:]]*$/ { flush(); next }
            tolower($1) == "types:"  { $1 = ""; types = $0;  sub(/^ +/, "", types) }
            tolower($1) == "suites:" { $1 = ""; suites = $0; sub(/^ +/, "", suites) }
            tolower($1) == "uris:"   { $1 = ""; uris = $0;   sub(/^ +/, "", uris) }
            END { flush(); if (found != "") print found }
        ' "$f")
        if [ -n "$uri" ]; then
            echo "$uri"
            return 0
        fi
    done
    return 1
}

if [ "$(id -u)" != 0 ]; then
    echo "import-base.sh: run as root (debootstrap needs it)" >&2
    exit 1
fi
for tool in debootstrap docker; do
    command -v "$tool" >/dev/null 2>&1 || { echo "import-base.sh: $tool not found: apt-get install $tool" >&2; exit 1; }
done
mirror=${ROCLUSTER_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
    mirror=$(host_mirror) || {
        echo "import-base.sh: no apt source for $suite in /etc/apt; set ROCLUSTER_DEBIAN_MIRROR to a Debian mirror URL" >&2
        exit 1
    }
fi

work=$(mktemp -d /var/tmp/rocluster-debian12-base.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
echo "import-base.sh: debootstrap $suite from $mirror" >&2
debootstrap --variant=minbase --include=ca-certificates "$suite" "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -n 20 "$work/debootstrap.log" >&2
    echo "import-base.sh: debootstrap failed (full log above)" >&2
    exit 1
}
# debootstrap leaves its apt lists and package cache; the image does not need them.
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*_Packages
tar -C "$work/root" --numeric-owner --xattrs --xattrs-include='*' -c . \
    | docker import --change 'CMD ["/bin/bash"]' - "$tag" >/dev/null
echo "import-base.sh: imported $tag ($(docker image inspect -f '{{.Id}}' "$tag"))" >&2
