#!/bin/sh
# Not a stage: what a build would install from the mirror now, decided without building, for
# `rocluster build --if-changed`. Writes "name<TAB>version<TAB>arch" per package, sorted, to
# $OUT/resolved-packages.tsv.
#   $ROCLUSTER_PACKAGES   the packages stage's list (the profile's required set and the spec's)
#   $ROCLUSTER_INSTALLED  the package names of the artefact to compare with: asked for too, so that
#                         apt picks the alternatives the earlier build's debootstrap picked
#                         (usr-is-merged, not usrmerge) and the two lists are comparable
# apt resolves against fresh lists of the builder's mirror with an empty dpkg status of its own,
# so the builder's own packages do not count; debootstrap's minbase set is every package of
# priority required, plus apt.
set -eu
: "${ROCLUSTER_PACKAGES:?space-separated package list}"
: "${OUT:=/build/out}"
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=mirror.sh
. "$here/mirror.sh"

mirror=$(builder_mirror)
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
: >"$state/status"
printf 'deb %s bookworm main\n' "$mirror" >"$state/sources.list"
set -- -o "Dir::State=$state" -o "Dir::State::Lists=$state/lists" -o "Dir::State::status=$state/status" \
    -o "Dir::Cache=$state/cache" -o "Dir::Etc::SourceList=$state/sources.list" -o "Dir::Etc::SourceParts=/nonexistent" \
    -o "Acquire::Languages=none" -o "APT::Sandbox::User=root"
apt-get "$@" update -qq
required=$(awk '/^Package: / { p = $2 } /^Priority: required/ { print p }' "$state"/lists/*_Packages | LC_ALL=C sort -u)
# "Inst NAME [OLD] (VERSION ARCHIVE [ARCH])" per package apt would install.
# shellcheck disable=SC2086 # the lists are split on purpose
apt-get "$@" install --simulate --no-install-recommends $required apt $ROCLUSTER_PACKAGES ${ROCLUSTER_INSTALLED:-} \
    >"$state/simulation"
mkdir -p "$OUT"
sed -n 's/^Inst \([^ ]*\) \(\[[^]]*\] \)\{0,1\}(\([^ ]*\) [^[]*\[\([^]]*\)\]).*/\1\t\3\t\4/p' "$state/simulation" |
    LC_ALL=C sort >"$OUT/resolved-packages.tsv"
echo "resolve: $(wc -l <"$OUT/resolved-packages.tsv") packages from $mirror"
