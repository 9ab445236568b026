# shellcheck shell=sh
# The one implementation of making a client root read-only: sourced by the readonly stage
# scripts of every profile inside the builder, and run on a directory of the host by
# `rocluster apply` (the same stage input, the same script). Expects $ROOT (the client root),
# $STAGE (the stage's inputs: files/ and plan), $OUT (a directory for its reports), and mounts.sh
# sourced first.
#
# Every path is resolved inside $ROOT as in a chroot (in_root): a symlink of the image never
# leads out of it (EL7's /etc/mtab -> /proc/mounts, an absolute /etc/localtime), which matters
# on a host. No file is written in place: each is made aside and renamed over the old one, so
# files the root shares by hardlink with other trees (deployed versions share theirs) stay as they
# are there. Each change is printed as one line, "readonly: WHAT PATH", and listed in
# $OUT/changes; with ROCLUSTER_DRYRUN=1 nothing is written to the root and each line says "would".
# Nothing is changed that is already as wanted, so a second run reports nothing to change.

: "${ROOT:=/build/root}"
: "${OUT:=/build/out}"
ROOT=${ROOT%/}
DRYRUN=${ROCLUSTER_DRYRUN:-}
umask 022

fail() {
    echo "readonly: $*" >&2
    exit 1
}

change() {
    if [ -n "$DRYRUN" ]; then
        echo "readonly: would $*"
    else
        echo "readonly: $*"
    fi
    printf '%s\n' "$*" >>"$OUT/changes"
}

# in_root PATH: where absolute PATH of the image is on this machine ($ROOT/…), every directory on
# the way resolved as inside a chroot: an absolute symlink target starts again at $ROOT, ".."
# stops there. The last component is not followed (append "/." to follow it too).
in_root() {
    _rest=${1#/}
    _done=
    _links=0
    while [ -n "$_rest" ]; do
        case "$_rest" in
            */*) _c=${_rest%%/*}; _rest=${_rest#*/} ;;
            *) _c=$_rest; _rest= ;;
        esac
        case "$_c" in
            '' | .) continue ;;
            ..) _done=${_done%/*}; continue ;;
        esac
        if [ -n "$_rest" ] && [ -L "$ROOT$_done/$_c" ]; then
            _links=$((_links + 1))
            [ "$_links" -le 40 ] || fail "$1: too many levels of symbolic links in the image"
            _t=$(readlink "$ROOT$_done/$_c")
            case "$_t" in
                /*) _done=; _rest=${_t#/}/$_rest ;;
                *) _rest=$_t/$_rest ;;
            esac
            continue
        fi
        _done=$_done/$_c
    done
    printf '%s\n' "$ROOT$_done"
}

# make_dirs PATH: mkdir -p of an image path, resolved with in_root. Parents are made along the
# resolved path, so a symlinked directory (Debian's /lib -> usr/lib) is created where it points.
make_dirs() {
    _d=$(in_root "$1/.") || exit 1
    if [ -d "$_d" ]; then
        return 0
    fi
    if [ -e "$_d" ] || [ -L "$_d" ]; then
        fail "${_d#"$ROOT"} is in the way: a directory is needed there"
    fi
    make_dirs "$(dirname "${_d#"$ROOT"}")"
    _d=$(in_root "$1/.") || exit 1
    mkdir "$_d"
}

# put_file PATH SOURCE OWNER MODE: image file PATH becomes a copy of SOURCE (empty when SOURCE is
# empty) owned and moded so, made aside and renamed over the old one; SOURCE's mtime comes along.
put_file() {
    _new=$(in_root "$1").rocluster-new || exit 1
    rm -f "$_new"
    if [ -n "$2" ]; then
        cp -p "$2" "$_new"
    else
        : >"$_new"
    fi
    # chown before chmod: chown clears setuid bits.
    chown "$3" "$_new"
    chmod "$4" "$_new"
    mv -f "$_new" "${_new%.rocluster-new}"
}

# ---- $STAGE/files: installed over the root. Missing directories are created (existing ones keep
# their mode); files and symlinks are written only when they differ, owned by root, with the
# staged mode and mtime, through a temporary name and a rename.

install_file() {
    _p=$(in_root "$1") || exit 1
    _mode=$(stat -c %a "$2")
    if [ -L "$_p" ]; then
        _what="replace the symlink"
    elif [ -d "$_p" ]; then
        fail "$1 is a directory in the image, where rocluster installs a file: remove it first"
    elif [ -f "$_p" ]; then
        if cmp -s "$2" "$_p" && [ "$(stat -c %a:%u:%g "$_p")" = "$_mode:0:0" ]; then
            return 0
        fi
        _what=update
    elif [ -e "$_p" ]; then
        _what="replace the special file"
    else
        _what=create
    fi
    change "$_what $1"
    if [ -z "$DRYRUN" ]; then
        make_dirs "$(dirname "$1")"
        put_file "$1" "$2" 0:0 "$_mode"
    fi
}

install_link() {
    _p=$(in_root "$1") || exit 1
    if [ -L "$_p" ] && [ "$(readlink "$_p")" = "$2" ]; then
        return 0
    fi
    if [ -d "$_p" ] && [ ! -L "$_p" ]; then
        fail "$1 is a directory in the image, where rocluster installs a symlink: remove it first"
    fi
    if [ -e "$_p" ] || [ -L "$_p" ]; then
        change "update $1 -> $2"
    else
        change "create $1 -> $2"
    fi
    if [ -z "$DRYRUN" ]; then
        make_dirs "$(dirname "$1")"
        _p=$(in_root "$1") || exit 1
        rm -f "$_p"
        ln -s "$2" "$_p"
        chown -h 0:0 "$_p"
    fi
}

copy_files() {
    [ -d "$STAGE/files" ] || return 0
    # Sorted, so parents come first and the report reads the same on every machine.
    while read -r rel; do
        [ -n "$rel" ] || continue
        path=${rel#.}
        src=$STAGE/files$path
        if [ -L "$src" ]; then
            install_link "$path" "$(readlink "$src")"
        elif [ -d "$src" ]; then
            ensure_dir "$path"
        else
            install_file "$path" "$src"
        fi
    done <<EOF
$(cd "$STAGE/files" && find . -mindepth 1 | LC_ALL=C sort)
EOF
}

# ---- $STAGE/plan: one action per line, "VERB ARG"; blank lines and #-comments ignored.
#   disable UNIT         remove the unit's enablement symlinks under /etc/systemd/system (what
#                        systemctl disable removes); a unit the image lacks is reported and skipped
#   mask UNIT            /etc/systemd/system/UNIT -> /dev/null (what systemctl mask makes)
#   delete GLOB          rm -rf every match of an absolute glob (a pattern in its last component only)
#   delete-regular PATH  rm PATH only if it is a regular file (keeps a symlink, e.g. to /etc/machine-id)
#   empty PATH           truncate to zero bytes, creating it if missing (mode 0444 when created)
#   mkdir PATH           ensure a directory exists (rwtab/statetab paths must exist in the image);
#                        a path already there, of any type, is left
#   touch PATH           ensure a file exists, creating parents; a path already there is left
#   ssh-host-keys shared|per-client   shared: generate keys once now; per-client: remove them
# Units are changed as files rather than through systemctl: the same on a host, in a builder,
# and in a root without systemd.

unit_in_image() {
    for _dir in /etc/systemd/system /usr/lib/systemd/system /lib/systemd/system; do
        _f=$(in_root "$_dir/$1") || exit 1
        if [ -e "$_f" ] || [ -L "$_f" ]; then
            return 0
        fi
    done
    case "$1" in
        # An instance (getty@tty1.service) comes from its template (getty@.service).
        *@?*.*) unit_in_image "${1%%@*}@.${1##*.}" ;;
        *) return 1 ;;
    esac
}

disable_unit() {
    if ! unit_in_image "$1"; then
        echo "readonly: unit $1 not in the image: nothing to disable"
        return 0
    fi
    _etc=$(in_root /etc/systemd/system/.) || exit 1
    [ -d "$_etc" ] || return 0
    # Links named after the unit (in *.wants/, *.requires/) or pointing at it (aliases, instances);
    # a mask (a link to /dev/null) is not an enablement.
    while read -r _link; do
        [ -n "$_link" ] || continue
        change "remove ${_link#"$ROOT"} (disable $1)"
        if [ -z "$DRYRUN" ]; then
            rm -f "$_link"
        fi
    done <<EOF
$(find "$_etc" -type l \( -name "$1" -o -lname "*/$1" -o -lname "$1" \) ! -lname /dev/null | LC_ALL=C sort)
EOF
}

mask_unit() {
    _p=$(in_root "/etc/systemd/system/$1") || exit 1
    if [ -L "$_p" ] && [ "$(readlink "$_p")" = /dev/null ]; then
        return 0
    fi
    if [ -e "$_p" ] && [ ! -L "$_p" ]; then
        fail "cannot mask $1: /etc/systemd/system/$1 is a unit file of the image; remove it from units.mask or from the image"
    fi
    change "mask $1 (/etc/systemd/system/$1 -> /dev/null)"
    if [ -z "$DRYRUN" ]; then
        make_dirs /etc/systemd/system
        _p=$(in_root "/etc/systemd/system/$1") || exit 1
        rm -f "$_p"
        ln -s /dev/null "$_p"
    fi
}

delete_glob() {
    _dir=${1%/*}
    case "$_dir" in
        *[*?[]*) fail "plan line 'delete $1': a glob may only be in the last component" ;;
    esac
    _d=$(in_root "${_dir:-/}/.") || exit 1
    # The pattern is expanded inside the root on purpose; the directory part is literal.
    for _m in "$_d"/${1##*/}; do
        if [ -e "$_m" ] || [ -L "$_m" ]; then
            change "remove $_dir/${_m##*/}"
            if [ -z "$DRYRUN" ]; then
                rm -rf "$_m"
            fi
        fi
    done
}

delete_regular() {
    _p=$(in_root "$1") || exit 1
    if [ -f "$_p" ] && [ ! -L "$_p" ]; then
        change "remove $1"
        if [ -z "$DRYRUN" ]; then
            rm -f "$_p"
        fi
    fi
}

# A symlink is left alone by empty, mkdir and touch: an absolute one (/etc/localtime) points out
# of the root when followed from outside it, and EL7's /var/lock -> ../run/lock dangles in a
# build root.
empty_file() {
    _p=$(in_root "$1") || exit 1
    if [ -L "$_p" ]; then
        return 0
    elif [ -f "$_p" ]; then
        if [ -s "$_p" ]; then
            change "empty $1"
            if [ -z "$DRYRUN" ]; then
                put_file "$1" "" "$(stat -c %u:%g "$_p")" "$(stat -c %a "$_p")"
            fi
        fi
    elif [ -e "$_p" ]; then
        fail "$1 is not a regular file in the image: the plan empties it"
    else
        change "create $1 (empty)"
        if [ -z "$DRYRUN" ]; then
            make_dirs "$(dirname "$1")"
            _p=$(in_root "$1") || exit 1
            : >"$_p"
            chmod 0444 "$_p"
        fi
    fi
}

ensure_dir() {
    _p=$(in_root "$1") || exit 1
    if [ -e "$_p" ] || [ -L "$_p" ]; then
        return 0
    fi
    change "create directory $1"
    if [ -z "$DRYRUN" ]; then
        make_dirs "$1"
    fi
}

ensure_file() {
    _p=$(in_root "$1") || exit 1
    if [ -e "$_p" ] || [ -L "$_p" ]; then
        return 0
    fi
    change "create $1 (empty)"
    if [ -z "$DRYRUN" ]; then
        make_dirs "$(dirname "$1")"
        _p=$(in_root "$1") || exit 1
        : >"$_p"
    fi
}

host_keys() {
    _ssh=$(in_root /etc/ssh/.) || exit 1
    for _k in "$_ssh"/ssh_host_*key "$_ssh"/ssh_host_*key.pub; do
        if [ -e "$_k" ]; then
            echo "${_k##*/}"
        fi
    done
}

ssh_host_keys() {
    case "$1" in
        per-client)
            for _k in $(host_keys); do
                change "remove /etc/ssh/$_k"
                if [ -z "$DRYRUN" ]; then
                    rm -f "$(in_root "/etc/ssh/$_k")"
                fi
            done ;;
        shared)
            _keygen=$(in_root /usr/bin/ssh-keygen) || exit 1
            if [ ! -x "$_keygen" ]; then
                echo "readonly: ssh-keygen not in the image: no SSH host keys generated"
            elif [ -n "$DRYRUN" ]; then
                # ssh-keygen -A makes only the types missing; which those are only it knows.
                if [ -z "$(host_keys)" ]; then
                    change "generate SSH host keys in /etc/ssh (ssh-keygen -A)"
                fi
            else
                _before=$(host_keys)
                need_api_filesystems
                chroot "$ROOT" ssh-keygen -A >/dev/null
                for _k in $(host_keys); do
                    if ! printf '%s\n' "$_before" | grep -qxF "$_k"; then
                        change "create /etc/ssh/$_k (ssh-keygen -A)"
                    fi
                done
            fi ;;
        *) fail "ssh-host-keys must be shared or per-client, not '$1'" ;;
    esac
}

apply_plan() {
    [ -f "$STAGE/plan" ] || return 0
    while read -r verb arg; do
        case "$verb" in
            '' | '#'*) continue ;;
        esac
        case "$verb:$arg" in
            delete:/* | delete-regular:/* | empty:/* | mkdir:/* | touch:/*) ;;
            delete:* | delete-regular:* | empty:* | mkdir:* | touch:*)
                fail "plan line '$verb $arg': path must be absolute" ;;
        esac
        case "$verb" in
            disable) disable_unit "$arg" ;;
            mask) mask_unit "$arg" ;;
            delete) delete_glob "$arg" ;;
            delete-regular) delete_regular "$arg" ;;
            empty) empty_file "$arg" ;;
            mkdir) ensure_dir "$arg" ;;
            touch) ensure_file "$arg" ;;
            ssh-host-keys) ssh_host_keys "$arg" ;;
            *) fail "unknown plan verb '$verb'" ;;
        esac
    done <"$STAGE/plan"
}

# An NFS client sees no security.* xattrs, so file capabilities silently stop working on an NFS
# root; with ROCLUSTER_FILE_CAPABILITIES=setuid such files become setuid root instead, listed in
# $OUT/capability-changes.
convert_capabilities() {
    mkdir -p "$OUT"
    : >"$OUT/capability-changes"
    [ "${ROCLUSTER_FILE_CAPABILITIES:-keep}" = setuid ] || return 0
    while read -r file _caps; do
        [ -f "$file" ] || continue
        change "replace the file capabilities of ${file#"$ROOT"} by setuid root"
        echo "${file#"$ROOT"}" >>"$OUT/capability-changes"
        if [ -z "$DRYRUN" ]; then
            # A copy: cp -p carries no xattrs, so no capabilities.
            put_file "${file#"$ROOT"}" "$file" 0:0 "$(printf '%o' $((0$(stat -c %a "$file") | 04000)))"
        fi
    done <<EOF
$(getcap -r "$ROOT" 2>/dev/null)
EOF
    sort -o "$OUT/capability-changes" "$OUT/capability-changes"
}

# /proc /sys /dev are mounted into the root only when something runs inside it (ssh-keygen),
# and unmounted however the stage ends.
need_api_filesystems() {
    if [ -z "$ROCLUSTER_MOUNTED" ]; then
        mount_api_filesystems
    fi
}

# The whole stage: install the files, apply the plan, convert capabilities, and say how much
# changed.
readonly_stage() {
    mkdir -p "$OUT"
    : >"$OUT/changes"
    copy_files
    apply_plan
    convert_capabilities
    unmount_api_filesystems
    n=$(($(wc -l <"$OUT/changes")))
    if [ "$n" -eq 0 ]; then
        echo "readonly: nothing to change"
    elif [ -n "$DRYRUN" ]; then
        echo "readonly: $n change$([ "$n" -eq 1 ] || echo s) to make (dry run: the root is untouched)"
    else
        echo "readonly: $n change$([ "$n" -eq 1 ] || echo s) made"
    fi
}
