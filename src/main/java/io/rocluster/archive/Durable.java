package io.rocluster.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file operations, the one place rocluster fsyncs: every change is written aside under a hidden
 * {@code .tmp-} name, fsynced, and renamed over its target, then the directory is fsynced, so a crash
 * (SIGKILL or power loss) leaves the old content or the new, never a mix. The master's files, artefact
 * directories and packed tarballs all go through here. On a master, leftover {@code .tmp-*} names are
 * removed by the next command's recovery.
 */
public final class Durable {

    /** Prefix of every file written aside. */
    public static final String TMP_PREFIX = ".tmp-";

    private Durable() {}

    /** A fresh hidden sibling name for {@code target}. */
    public static Path asideName(Path target, String prefix) {
        String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        return target.resolveSibling(prefix + target.getFileName() + "-" + tag);
    }

    /** Replaces {@code target} with {@code text}, atomically and durably. */
    public static void writeString(Path target, String text) {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code target} with {@code bytes}, atomically and durably. */
    public static void writeBytes(Path target, byte[] bytes) {
        Path tmp = asideName(target, TMP_PREFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            rename(tmp, target);
        } catch (IOException e) {
            FileTrees.deleteQuietly(tmp);
            throw new UncheckedIOException(e);
        }
    }

    /** Points {@code link} at {@code target} by creating a new symlink aside and renaming it over. */
    public static void replaceSymlink(Path link, Path target) {
        Path tmp = asideName(link, TMP_PREFIX);
        try {
            Files.createSymbolicLink(tmp, target);
            rename(tmp, link);
        } catch (IOException e) {
            FileTrees.deleteQuietly(tmp);
            throw new UncheckedIOException(e);
        }
    }

    /** Renames atomically (replacing the target if it is a file or symlink) and syncs the directory. */
    public static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically (different file systems?)", e);
        }
        syncDirectory(to.toAbsolutePath().getParent());
        if (!from.toAbsolutePath().getParent().equals(to.toAbsolutePath().getParent())) {
            syncDirectory(from.toAbsolutePath().getParent());
        }
    }

    /** Makes a directory's entries (creations, renames) durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Makes everything written so far on {@code path}'s file system durable, data and metadata (syncfs): one
     * barrier for a whole tree instead of an fsync per file and directory. It also waits for other programs'
     * writes to that file system, as {@code sync -f} does.
     */
    public static void syncFileSystem(Path path) throws IOException {
        Libc.syncFileSystem(path);
    }

    /** fsyncs one regular file. */
    public static void syncFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Appends one line and syncs it (history.jsonl: a torn tail is repaired by recovery). */
    public static void appendLine(Path file, String line) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a directory if missing (parents too) and syncs its parent. */
    public static void ensureDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                syncDirectory(dir.toAbsolutePath().getParent());
            }
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException(new IOException(dir + " exists and is not a directory", e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
