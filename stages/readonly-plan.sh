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
