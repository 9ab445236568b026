#!/bin/sh
# Stage collect (el7): the package list for the manifest, "name<TAB>[epoch:]version-release<TAB>arch"
# per line in $OUT/packages.tsv. rocluster then streams $ROOT out through the Docker archive API.
set -eu
: "${ROOT:=/build/root}"
: "${OUT:=/build/out}"
mkdir -p "$OUT"
rpm --root "$ROOT" -qa --qf '%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{ARCH}\n' \
    | LC_ALL=C sort >"$OUT/packages.tsv"
echo "collect: $(wc -l <"$OUT/packages.tsv") packages"
