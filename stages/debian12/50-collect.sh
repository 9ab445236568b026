#!/bin/sh
# Stage collect (debian12): the package list for the manifest, "name<TAB>version<TAB>arch" per
# line in $OUT/packages.tsv. rocluster then streams $ROOT out through the Docker archive API.
set -eu
: "${ROOT:=/build/root}"
: "${OUT:=/build/out}"
mkdir -p "$OUT"
# shellcheck disable=SC2016 # dpkg-query expands these itself
chroot "$ROOT" dpkg-query -W -f '${Package}\t${Version}\t${Architecture}\n' | LC_ALL=C sort >"$OUT/packages.tsv"
echo "collect: $(wc -l <"$OUT/packages.tsv") packages"
