# shellcheck shell=sh
# Sourced by the initramfs stage scripts (after mounts.sh): which kernel the image has, the dracut
# run, and publishing the boot files to $OUT (outside the root, so the rootfs tarball does not
# carry a second initramfs).

: "${ROOT:=/build/root}"
: "${OUT:=/build/out}"

# The one kernel release under $ROOT/lib/modules; several or none is an error.
image_kernel_version() {
    n=0
    for d in "$ROOT"/lib/modules/*/; do
        [ -d "$d" ] || continue
        n=$((n + 1))
        k=$(basename "$d")
    done
    if [ "$n" -ne 1 ]; then
        echo "initramfs: expected one kernel under /lib/modules of the image, found $n" >&2
        exit 1
    fi
    echo "$k"
}

publish_boot_files() {
    mkdir -p "$OUT"
    mv "$ROOT/tmp/rocluster-initramfs.img" "$OUT/initramfs.img"
    cp "$2" "$OUT/vmlinuz"
    printf '%s\n' "$1" >"$OUT/kernel-version"
    echo "initramfs: $(wc -c <"$OUT/initramfs.img") bytes for $1"
}

# The whole stage: one dracut run inside the root for its own kernel (never `uname -r`: that is
# the build host's), with the settings the readonly stage wrote to /etc/dracut.conf.d. With
# "depmod" as $1 (else "no-depmod"), the module index is made first (for a kernel installed
# without scriptlets).
initramfs_stage() {
    kver=$(image_kernel_version)
    mount_api_filesystems
    if [ "${1:-}" = depmod ]; then
        chroot "$ROOT" depmod -a "$kver"
    fi
    echo "initramfs: dracut for kernel $kver"
    chroot "$ROOT" dracut --force --no-hostonly --kver "$kver" /tmp/rocluster-initramfs.img
    unmount_api_filesystems
    publish_boot_files "$kver" "$ROOT/boot/vmlinuz-$kver"
}
