#!/bin/sh
# Step reproducible (every profile): runs in every build, cached stages or not, just before
# collect, and makes two builds of the same package set give the same bytes. rocluster clamps every
# mtime of the root to the SOURCE_DATE_EPOCH decided here (written to $OUT/source-date-epoch); this
# makes what the build wrote into files agree with it. A build matter, so not in the readonly stage,
# which `rocluster apply` also runs, on roots that are never packed.
#   $ROCLUSTER_PACKAGING    deb or rpm
#   $SOURCE_DATE_EPOCH      the clamp the build was given (the spec's sourceDateEpoch, else the
#                           environment's), or empty: then it comes from the installed packages,
#   $ROCLUSTER_EPOCH_FROM   release (the distribution's release package) or newest (every package)
set -eu
: "${ROOT:=/build/root}"
: "${OUT:=/build/out}"
: "${ROCLUSTER_PACKAGING:?deb or rpm}"
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=mounts.sh
. "$here/mounts.sh"

# "SECONDS<TAB>package NAME VERSION" per installed deb (or only package $1) with a dated changelog:
# the date of the changelog's top entry, which Debian's own reproducible builds clamp a package to.
deb_dates() {
    [ -f "$ROOT/var/lib/dpkg/status" ] || return 0
    awk -v only="${1:-}" '/^Package: / { p = $2 } /^Version: / { v = $2 } /^Status: / { s = $0 }
         /^$/ { if (s ~ / installed$/ && (only == "" || p == only)) print p, v; p = v = s = "" }
         END { if (s ~ / installed$/ && (only == "" || p == only)) print p, v }' "$ROOT/var/lib/dpkg/status" |
    while read -r pkg version; do
        for log in "$ROOT/usr/share/doc/$pkg/changelog.Debian.gz" "$ROOT/usr/share/doc/$pkg/changelog.gz"; do
            [ -f "$log" ] || continue
            # The trailer line of the top entry: " -- Name <address>  Day, DD Mon YYYY HH:MM:SS +ZZZZ".
            when=$(gzip -dc "$log" | sed -n '/^ -- .*>  /{s/^ -- .*>  //p;q;}')
            if [ -n "$when" ] && t=$(date -d "$when" +%s 2>/dev/null); then
                printf '%s\tpackage %s %s\n' "$t" "$pkg" "$version"
            fi
            break
        done
    done
}

# The same from rpm's BUILDTIME: $1 is -a for every package, else a package name.
rpm_dates() {
    rpm --root "$ROOT" -q "$1" --qf '%{BUILDTIME}\tpackage %{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\n' 2>/dev/null |
        grep '^[0-9]'
}

# The clamp, as "SECONDS<TAB>where it comes from", for packaging $1 (deb or rpm). By default the
# build date of the distribution's release package (base-files, centos-release): a property of the
# package set, never of the clock, and one that moves only with point releases, so when one package
# is updated the files the build wrote keep their mtimes and a deploy shares them (the newest
# package's date would move with that package).
source_date_epoch() {
    if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
        case "$SOURCE_DATE_EPOCH" in
            *[!0-9]*) echo "reproducible: SOURCE_DATE_EPOCH='$SOURCE_DATE_EPOCH' is not a number of seconds" >&2; exit 1 ;;
        esac
        printf '%s\tgiven\n' "$SOURCE_DATE_EPOCH"
        return 0
    fi
    case "$1:${ROCLUSTER_EPOCH_FROM:-release}" in
        deb:release) deb_dates base-files ;;
        deb:newest) deb_dates ;;
        rpm:release) rpm_dates centos-release ;;
        rpm:newest) rpm_dates -a ;;
        *) echo "reproducible: no SOURCE_DATE_EPOCH rule for $1 packages from '${ROCLUSTER_EPOCH_FROM:-}'" >&2; exit 1 ;;
    esac | sort -n -k1,1 | tail -n 1
}

# replace FILE NEW: NEW (a file beside FILE) becomes FILE with FILE's owner and mode, by a rename:
# nothing is written in place, so a file the root shares by hardlink with another tree stays as it
# is there (the readonly stage's rule too).
replace() {
    chown --reference="$1" "$2"
    chmod --reference="$1" "$2"
    mv -f "$2" "$1"
}

# Records of the build's own run, which differ between two builds of the same packages and say
# nothing the manifest and build.log do not: logs are emptied (they keep their owners and modes,
# /var/log/apt/term.log is root:adm 0640, and a client's statetab copy of /var/log starts from
# them); a compressed log cannot be emptied into a valid file, and ldconfig's aux-cache holds the
# inode numbers and times of the build's libraries (ldconfig makes a new one whenever it runs).
empty_log() {
    if [ -f "$1" ] && [ ! -L "$1" ] && [ -s "$1" ]; then
        : >"$1.rocluster-new"
        replace "$1" "$1.rocluster-new"
    fi
}

forget_build_records() {
    rm -f "$ROOT/var/cache/ldconfig/aux-cache"
    case "$1" in
        deb)
            for log in dpkg.log alternatives.log bootstrap.log apt/history.log apt/term.log; do
                empty_log "$ROOT/var/log/$log"
            done
            rm -f "$ROOT/var/log/apt/eipp.log.xz" ;;
        rpm)
            empty_log "$ROOT/var/log/yum.log"
            rm -rf "$ROOT"/var/lib/yum/history/* ;;
    esac
}

# The "last password change" day that useradd wrote into /etc/shadow is the build's day: the day of
# SOURCE_DATE_EPOCH instead (what useradd itself writes when SOURCE_DATE_EPOCH is set). Earlier
# days are left as they are.
clamp_shadow_dates() {
    day=$(($1 / 86400))
    for f in "$ROOT/etc/shadow" "$ROOT/etc/shadow-"; do
        if [ ! -f "$f" ] || [ -L "$f" ]; then continue; fi
        awk -F: -v OFS=: -v day="$day" '$3 ~ /^[0-9]+$/ && $3 + 0 > day + 0 { $3 = day } { print }' "$f" \
            >"$f.rocluster-new"
        if cmp -s "$f" "$f.rocluster-new"; then
            rm -f "$f.rocluster-new"
        else
            # It keeps its owner and mode (root:shadow 0640 on Debian, 0000 on EL7).
            replace "$f" "$f.rocluster-new"
        fi
    done
}

# A timestamp-based .pyc records its source's mtime; when clamping changes that mtime (a source newer
# than SOURCE_DATE_EPOCH), Python would find the .pyc stale and, on a read-only root, compile the
# module again in memory at each start. Those are compiled again in checked-hash mode (PEP 552),
# which compares a hash of the source instead of its mtime, by the image's own python3; without a
# python3 in the image they are removed. A .pyc already hash-based is left as it is. importlib writes
# each new .pyc aside and renames it, so none is written in place.
# target_newer LINK REF: whether what LINK (in $ROOT) leads to is newer than REF. Absolute targets are
# the image's, not the builder's.
target_newer() {
    f=$1
    hops=0
    while [ -L "$f" ] && [ "$hops" -lt 40 ]; do
        t=$(readlink "$f")
        case $t in
            /*) f=$ROOT$t ;;
            *) f=${f%/*}/$t ;;
        esac
        hops=$((hops + 1))
    done
    [ -e "$f" ] && [ -n "$(find "$f" -prune -newer "$2")" ]
}

refresh_stale_pyc() {
    ref=$(mktemp)
    touch -d "@$1" "$ref"
    sources=$(mktemp)
    # Python stats a source through its symlinks (Debian's _sysconfigdata__linux_x86_64-linux-gnu.py is one),
    # so a symlinked source counts when its target is newer.
    find "$ROOT" -xdev \( -type f -newer "$ref" -o -type l \) -name '*.py' | LC_ALL=C sort | while IFS= read -r py; do
        if [ -L "$py" ] && ! target_newer "$py" "$ref"; then
            continue
        fi
        for pyc in "${py%/*}/__pycache__/$(basename "$py" .py)".*.pyc; do
            [ -f "$pyc" ] || continue
            # PEP 552 flags, bytes 4-7: 0 for a timestamp-based .pyc.
            if [ "$(od -An -tu4 -j4 -N4 "$pyc" | tr -d ' ')" = 0 ]; then
                printf '%s\n' "${py#"$ROOT"}"
                break
            fi
        done
    done >"$sources"
    n=$(($(wc -l <"$sources")))
    if [ "$n" -gt 0 ]; then
        if [ -x "$ROOT/usr/bin/python3" ]; then
            mount_api_filesystems
            xargs -d '\n' chroot "$ROOT" python3 -m compileall -q -f --invalidation-mode checked-hash \
                <"$sources" >/dev/null
            unmount_api_filesystems
            echo "reproducible: $n Python modules newer than SOURCE_DATE_EPOCH: their .pyc compiled again, hash-checked"
        else
            while IFS= read -r py; do
                rm -f "$ROOT${py%/*}/__pycache__/$(basename "$py" .py)".*.pyc
            done <"$sources"
            echo "reproducible: $n Python modules newer than SOURCE_DATE_EPOCH and no python3 in the image: their .pyc removed"
        fi
    fi
    rm -f "$ref" "$sources"
}

# The whole step for packaging $1 (deb or rpm): decide the clamp and write it to
# $OUT/source-date-epoch, where rocluster reads it, then make the root agree with it.
reproducible_root() {
    mkdir -p "$OUT"
    epoch=$(source_date_epoch "$1")
    if [ -z "$epoch" ]; then
        echo "reproducible: the installed packages record no build date for SOURCE_DATE_EPOCH: set sourceDateEpoch in the spec" >&2
        exit 1
    fi
    printf '%s\n' "$epoch" >"$OUT/source-date-epoch"
    seconds=${epoch%%	*}
    echo "reproducible: SOURCE_DATE_EPOCH=$seconds ($(date -u -d "@$seconds" '+%Y-%m-%d %H:%M:%S UTC'), ${epoch#*	})"
    forget_build_records "$1"
    clamp_shadow_dates "$seconds"
    refresh_stale_pyc "$seconds"
}

reproducible_root "$ROCLUSTER_PACKAGING"
