# shellcheck shell=sh
# Sourced by the stage scripts (copied beside them into the builder). Bind-mounts the container's
# /proc, /sys and /dev into the client root only while a stage needs them (package scripts and
# dracut read them) and unmounts them however the stage ends, so nothing is mounted when the
# container is committed to the stage cache or the root is streamed out.

: "${ROOT:=/build/root}"
ROCLUSTER_MOUNTED=""

mount_api_filesystems() {
    for fs in proc sys dev dev/pts; do
        mkdir -p "$ROOT/$fs"
        mount --bind "/$fs" "$ROOT/$fs"
        # Unmount order is the reverse of mount order.
        ROCLUSTER_MOUNTED="$ROOT/$fs $ROCLUSTER_MOUNTED"
    done
    trap unmount_api_filesystems EXIT
    trap 'exit 130' INT TERM
}

unmount_api_filesystems() {
    for m in $ROCLUSTER_MOUNTED; do
        umount "$m" || umount -l "$m"
    done
    ROCLUSTER_MOUNTED=""
}
