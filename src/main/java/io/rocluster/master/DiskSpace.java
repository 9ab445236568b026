package io.rocluster.master;

import io.rocluster.RoclusterException;
import io.rocluster.archive.FileEntry;
import io.rocluster.artefact.Manifest;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Disk space and write errors of a master, in the words an operator needs: which file system, how much is
 * needed and free, and what to do. A deploy checks the space first (the manifest says how many bytes the
 * version's files take; files dedup will share cost nothing), and a disk that fills up or turns read-only
 * half-way becomes one line instead of a Java exception.
 */
final class DiskSpace {

    private DiskSpace() {}

    /**
     * Bytes a new version is expected to take: its regular files rounded up to whole blocks, except those dedup
     * expects to share, a block per other entry, and the boot files and manifest.
     */
    static long needed(Manifest m, long sharedBytes, long extraFiles, long blockSize) {
        long bytes = 0;
        for (FileEntry f : m.files()) {
            bytes += f.type() == FileEntry.Type.FILE ? roundUp(f.size(), blockSize)
                    : f.type() == FileEntry.Type.HARDLINK ? 0 : blockSize;
        }
        return Math.max(0, bytes - sharedBytes) + roundUp(extraFiles, blockSize);
    }

    /** Refuses, changing nothing, when {@code dir}'s file system has less than {@code needed} bytes free. */
    static void require(Path dir, long needed, String what) throws IOException {
        FileStore store = Files.getFileStore(dir);
        long free = store.getUsableSpace();
        if (free < needed) {
            throw new RoclusterException("not enough space on " + describe(store) + " for " + what + ": it needs about "
                    + human(needed) + ", " + human(free) + " are free: free some with rocluster gc, or put the master"
                    + " on a bigger disk");
        }
    }

    /** The block size of {@code dir}'s file system (4 KiB when it does not say). */
    static long blockSize(Path dir) {
        try {
            long b = Files.getFileStore(dir).getBlockSize();
            return b > 0 ? b : 4096;
        } catch (IOException | UnsupportedOperationException e) {
            return 4096;
        }
    }

    /**
     * {@code e} as one line if it is the disk filling up or refusing writes (ENOSPC, EDQUOT, EROFS), else null.
     * Called after the work directories were removed, so "free" is what the master has again.
     */
    static RoclusterException translate(Throwable e, Path dir, long needed, String what) {
        String reason = null;
        for (Throwable t = e; t != null && reason == null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (m.contains("No space left on device") || m.contains("Disk quota exceeded")) {
                reason = "full";
            } else if (m.contains("Read-only file system")) {
                reason = "read-only";
            }
        }
        if (reason == null) {
            return null;
        }
        String fs;
        long free = -1;
        try {
            FileStore store = Files.getFileStore(dir);
            fs = describe(store);
            free = store.getUsableSpace();
        } catch (IOException unknown) {
            fs = "the file system of " + dir;
        }
        if (reason.equals("read-only")) {
            return new RoclusterException(fs + " is read-only, so " + what + " cannot be written (nothing was"
                    + " changed): remount it read-write, or put the master on another disk");
        }
        return new RoclusterException(fs + " filled up during " + what + (needed > 0 ? " (it needs about "
                + human(needed) + ", " : " (") + (free >= 0 ? human(free) + " free now" : "free space unknown")
                + "; nothing was left behind): free space with rocluster gc, or put the master on another disk"
                + " (running out of inodes counts as full too: df -i)");
    }

    private static String describe(FileStore store) {
        // FileStore's toString is "mount point (device)" on Linux.
        return store.toString().isBlank() ? store.name() : store.toString();
    }

    private static long roundUp(long n, long block) {
        return (n + block - 1) / block * block;
    }

    static String human(long bytes) {
        if (bytes < 1024 * 1024) {
            return (bytes + 1023) / 1024 + " KiB";
        }
        return String.format(java.util.Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024));
    }
}
