# shellcheck shell=sh
# Sourced by the readonly stage scripts of every profile: the distribution-neutral part of
# making a root read-only. Expects $ROOT (the client root) and $STAGE (the stage's inputs), and
# mounts.sh sourced first.

: "${ROOT:=/build/root}"
: "${OUT:=/build/out}"

copy_files() {
    if [ -d "$STAGE/files" ]; then
        rsync -aHK "$STAGE/files/" "$ROOT/"
    fi
}

# Plan verbs (one per line, "VERB ARG"; blank lines and #-comments ignored):
#   disable UNIT         systemctl disable (a unit the image lacks is reported and skipped)
#   mask UNIT            systemctl mask
#   delete GLOB          rm -rf every match of an absolute glob inside the root
#   delete-regular PATH  rm PATH only if it is a regular file (keeps a symlink, e.g. to /etc/machine-id)
#   empty PATH           truncate to zero bytes, creating it if missing (mode 0444 when created)
#   mkdir PATH           ensure a directory exists (rwtab/statetab paths must exist in the image)
#   touch PATH           ensure a file exists, creating parents
#   ssh-host-keys shared|per-client   shared: generate keys once now; per-client: remove them
#   source-date-epoch deb-release|deb-newest|rpm-release|rpm-newest   the time mtimes are clamped to (below)
apply_plan() {
    [ -f "$STAGE/plan" ] || return 0
    while read -r verb arg; do
        case "$verb" in
            ''|'#'*) continue ;;
        esac
        case "$verb:$arg" in
            delete:/*|delete-regular:/*|empty:/*|mkdir:/*|touch:/*) ;;
            delete:*|delete-regular:*|empty:*|mkdir:*|touch:*)
                echo "readonly: plan line '$verb $arg': path must be absolute" >&2; exit 1 ;;
        esac
        case "$verb" in
            disable)
                if ! chroot "$ROOT" systemctl --quiet --no-reload disable "$arg" 2>/dev/null; then
                    echo "readonly: unit $arg not in the image: nothing to disable"
                fi ;;
            mask) chroot "$ROOT" systemctl --quiet --no-reload mask "$arg" ;;
            delete)
                # The glob is expanded inside the root on purpose.
                for p in "$ROOT"$arg; do
                    if [ -e "$p" ] || [ -L "$p" ]; then
                        echo "readonly: removing ${p#"$ROOT"}"
                        rm -rf "$p"
                    fi
                done ;;
            delete-regular)
                if [ -f "$ROOT$arg" ] && [ ! -L "$ROOT$arg" ]; then
                    echo "readonly: removing $arg"
                    rm -f "$ROOT$arg"
                fi ;;
            # A symlink is left alone by empty, mkdir and touch: followed from outside a chroot, an
            # absolute one (/etc/localtime) points out of the root, and EL7's /var/lock -> ../run/lock
            # dangles in a build root (mkdir -p fails on it).
            empty)
                if [ -L "$ROOT$arg" ]; then continue; fi
                mkdir -p "$(dirname "$ROOT$arg")"
                if [ -e "$ROOT$arg" ]; then : >"$ROOT$arg"; else : >"$ROOT$arg"; chmod 0444 "$ROOT$arg"; fi ;;
            mkdir)
                if [ ! -L "$ROOT$arg" ]; then mkdir -p "$ROOT$arg"; fi ;;
            touch)
                mkdir -p "$(dirname "$ROOT$arg")"
                if [ ! -e "$ROOT$arg" ] && [ ! -L "$ROOT$arg" ]; then : >"$ROOT$arg"; fi ;;
            ssh-host-keys) ssh_host_keys "$arg" ;;
            source-date-epoch) source_date_epoch "$arg" ;;
            *) echo "readonly: unknown plan verb '$verb'" >&2; exit 1 ;;
        esac
    done <"$STAGE/plan"
}

ssh_host_keys() {
    case "$1" in
        per-client)
            for k in "$ROOT"/etc/ssh/ssh_host_*key "$ROOT"/etc/ssh/ssh_host_*key.pub; do
                if [ -e "$k" ]; then
                    echo "readonly: removing ${k#"$ROOT"}"
                    rm -f "$k"
                fi
            done ;;
        shared)
            if [ -x "$ROOT/usr/bin/ssh-keygen" ]; then
                chroot "$ROOT" ssh-keygen -A
            else
                echo "readonly: ssh-keygen not in the image: no SSH host keys generated"
            fi ;;
        *) echo "readonly: ssh-host-keys must be shared or per-client, not '$1'" >&2; exit 1 ;;
    esac
}

# The time every mtime of the image is clamped to when rocluster packs it, so that two builds of the same
# package set give the same bytes: $SOURCE_DATE_EPOCH when the build passes one (the spec's
# sourceDateEpoch, else the environment's), else a build date recorded in the installed packages, by
# method $1 (PACKAGING-WHICH):
#   deb-release  the date of the top entry of base-files' changelog: the distribution's point release
#   deb-newest   the newest such date among all installed packages (what Debian's own reproducible
#                builds clamp a package to)
#   rpm-release  rpm's BUILDTIME of centos-release
#   rpm-newest   the newest BUILDTIME among all installed packages
# A property of the package set, never of the clock: files the build wrote get this time, files from
# packages keep theirs (or get this one if newer). The release date moves only with the distribution's
# point releases, so when one package is updated the files the build wrote keep their mtimes and a
# deploy shares them; the newest date would move with that package. Written to $OUT/source-date-epoch as
# "SECONDS<TAB>where it comes from"; then the dates the build wrote into files are made to agree with it.
source_date_epoch() {
    mkdir -p "$OUT"
    if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
        case "$SOURCE_DATE_EPOCH" in
            *[!0-9]*) echo "readonly: SOURCE_DATE_EPOCH='$SOURCE_DATE_EPOCH' is not a number of seconds" >&2; exit 1 ;;
        esac
        epoch="$SOURCE_DATE_EPOCH	given"
    else
        case "$1" in
            deb-release) epoch=$(deb_dates base-files | sort -n -k1,1 | tail -n 1) ;;
            deb-newest) epoch=$(deb_dates | sort -n -k1,1 | tail -n 1) ;;
            rpm-release) epoch=$(rpm_dates centos-release | sort -n -k1,1 | tail -n 1) ;;
            rpm-newest) epoch=$(rpm_dates -a | sort -n -k1,1 | tail -n 1) ;;
            *) echo "readonly: source-date-epoch must be deb-release, deb-newest, rpm-release or rpm-newest, not '$1'" >&2
               exit 1 ;;
        esac
        if [ -z "$epoch" ]; then
            echo "readonly: the installed packages record no build date for source-date-epoch $1: set sourceDateEpoch in the spec" >&2
            exit 1
        fi
    fi
    printf '%s\n' "$epoch" >"$OUT/source-date-epoch"
    seconds=${epoch%%	*}
    echo "readonly: SOURCE_DATE_EPOCH=$seconds ($(date -u -d "@$seconds" '+%Y-%m-%d %H:%M:%S UTC'), ${epoch#*	})"
    clamp_shadow_dates "$seconds"
    refresh_stale_pyc "$seconds"
}

# "SECONDS<TAB>package NAME VERSION" per installed package (or only package $1) with a dated changelog.
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

# The same from rpm: $1 is -a for every package, else a package name.
rpm_dates() {
    rpm --root "$ROOT" -q "$1" --qf '%{BUILDTIME}\tpackage %{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\n' 2>/dev/null |
        grep '^[0-9]'
}

# The "last password change" day that useradd wrote into /etc/shadow is the build's day: the day of
# SOURCE_DATE_EPOCH instead (what useradd itself writes when SOURCE_DATE_EPOCH is set).
clamp_shadow_dates() {
    day=$(($1 / 86400))
    for f in "$ROOT/etc/shadow" "$ROOT/etc/shadow-"; do
        if [ ! -f "$f" ] || [ -L "$f" ]; then continue; fi
        awk -F: -v OFS=: -v day="$day" '$3 ~ /^[0-9]+$/ && $3 + 0 > day + 0 { $3 = day } { print }' "$f" >"$f.rocluster"
        # Rewritten in place: the file keeps its owner and mode (root:shadow 0640).
        cat "$f.rocluster" >"$f"
        rm -f "$f.rocluster"
    done
}

# A timestamp-based .pyc records its source's mtime; when clamping changes that mtime (a source newer
# than SOURCE_DATE_EPOCH), Python would find every such .pyc stale and, on a read-only root, recompile
# the module in memory at each start. Those are compiled again in checked-hash mode, which compares a
# hash of the source instead of its mtime; without a python3 in the image they are removed.
refresh_stale_pyc() {
    ref=$(mktemp)
    touch -d "@$1" "$ref"
    sources=$(mktemp)
    find "$ROOT" -xdev -type f -name '*.py' -newer "$ref" | while IFS= read -r py; do
        found=""
        for pyc in "${py%/*}/__pycache__/$(basename "$py" .py)".*.pyc; do
            if [ -f "$pyc" ]; then rm -f "$pyc"; found=yes; fi
        done
        if [ -n "$found" ]; then printf '%s\n' "${py#"$ROOT"}"; fi
    done >"$sources"
    n=$(wc -l <"$sources")
    if [ "$n" -gt 0 ]; then
        if [ -x "$ROOT/usr/bin/python3" ]; then
            xargs -d '\n' chroot "$ROOT" python3 -m compileall -q --invalidation-mode checked-hash <"$sources" >/dev/null
            echo "readonly: $n Python modules newer than SOURCE_DATE_EPOCH: .pyc compiled again, hash-checked"
        else
            echo "readonly: $n Python modules newer than SOURCE_DATE_EPOCH and no python3 in the image: their .pyc removed"
        fi
    fi
    rm -f "$ref" "$sources"
}

# An NFS client sees no security.* xattrs, so file capabilities silently stop working on an NFS
# root; with ROCLUSTER_FILE_CAPABILITIES=setuid such files become setuid root instead.
convert_capabilities() {
    mkdir -p "$OUT"
    : >"$OUT/capability-changes"
    [ "${ROCLUSTER_FILE_CAPABILITIES:-keep}" = setuid ] || return 0
    getcap -r "$ROOT" 2>/dev/null | while read -r file _caps; do
        [ -f "$file" ] || continue
        setcap -r "$file"
        chown 0:0 "$file"
        chmod u+s "$file"
        echo "readonly: ${file#"$ROOT"}: file capabilities replaced by setuid root"
        echo "${file#"$ROOT"}" >>"$OUT/capability-changes"
    done
    sort -o "$OUT/capability-changes" "$OUT/capability-changes"
}

# The whole stage: copy the files in, apply the plan, convert capabilities, with /proc /sys /dev
# mounted only meanwhile (systemctl and ssh-keygen run inside the root).
readonly_stage() {
    mount_api_filesystems
    copy_files
    apply_plan
    convert_capabilities
    unmount_api_filesystems
}
