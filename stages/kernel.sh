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

# The whole stage: the spec's dracut settings ($3, rendered by rocluster) go to
# /etc/dracut.conf.d/rocluster.conf, kept in the image so a kernel update there regenerates an
# initramfs that mounts the NFS root; then one dracut run inside the root for its own kernel
# (never `uname -r`: that is the build host's). $1 is "depmod" (the module index is made first,
# for a kernel installed without scriptlets) or "no-depmod"; $2 the compressor command the
# profile's kernel can unpack (dracut --compress).
#
# --reproducible (dracut 046 and later; Debian 12 has 059): files sorted in the cpio, inode and
# device numbers left out (cpio --reproducible), every mtime newer than dracut's own files set to
# theirs, so two builds of the same root give the same bytes. dracut 033 (EL7) lacks it and says
# so in the build log.
initramfs_stage() {
    kver=$(image_kernel_version)
    mkdir -p "$ROOT/etc/dracut.conf.d"
    cp "$3" "$ROOT/etc/dracut.conf.d/rocluster.conf"
    chmod 0644 "$ROOT/etc/dracut.conf.d/rocluster.conf"
    mount_api_filesystems
    if [ "${1:-}" = depmod ]; then
        chroot "$ROOT" depmod -a "$kver"
    fi
    reproducible=""
    if chroot "$ROOT" dracut --help 2>/dev/null | grep -q -- '--reproducible'; then
        reproducible=--reproducible
    else
        echo "initramfs: this dracut has no --reproducible: the initramfs differs from build to build"
    fi
    echo "initramfs: dracut for kernel $kver, compressed with '$2'"
    chroot "$ROOT" dracut --force --no-hostonly $reproducible --compress "$2" --kver "$kver" /tmp/rocluster-initramfs.img
    unmount_api_filesystems
    publish_boot_files "$kver" "$ROOT/boot/vmlinuz-$kver"
}

# gzip for kernels that unpack nothing faster (EL7's 3.10): pigz when the image has it (EPEL's
# package; CentOS 7's own repositories lack it), else gzip. Level 6, not dracut's 9: on the
# debian12 example's 188 MB cpio, -9 took 49 s of CPU and -6 6 s, for a file 0.8 % larger.
gzip_compressor() {
    if chroot "$ROOT" sh -c 'command -v pigz' >/dev/null 2>&1; then
        echo "pigz -6 -n"
    else
        echo "gzip -6 -n"
    fi
}
