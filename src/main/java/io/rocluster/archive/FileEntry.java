package io.rocluster.archive;

import java.util.Map;

/**
 * One entry of a root file system, as recorded in the rootfs tarball and in the artefact manifest's
 * per-file index (used by verify, diff and deploy's deduplication).
 *
 * @param path       relative path without leading "/" or "./", "/"-separated; "" is never used (the root
 *                   itself is not an entry)
 * @param type       entry kind
 * @param mode       permission bits including setuid/setgid/sticky (mask 07777)
 * @param uid        numeric owner
 * @param gid        numeric group
 * @param size       content size for regular files, else 0
 * @param sha256     lower-case hex digest of a regular file's content (also of a hardlink's target content),
 *                   else null
 * @param linkTarget symlink target, or for a hardlink the path of the entry it links to; else null
 * @param devMajor   device major number for character and block devices, else 0
 * @param devMinor   device minor number for character and block devices, else 0
 * @param mtime      modification time in whole seconds since the epoch (after clamping)
 * @param xattrs     extended attributes, name to value encoded as standard base64 (values are binary);
 *                   empty when none; sorted by name
 */
public record FileEntry(
        String path,
        Type type,
        int mode,
        long uid,
        long gid,
        long size,
        String sha256,
        String linkTarget,
        int devMajor,
        int devMinor,
        long mtime,
        Map<String, String> xattrs) {

    /** Entry kinds a root file system holds. */
    public enum Type {
        FILE, DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO
    }
}
