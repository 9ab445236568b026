package io.rocluster.archive;

import io.rocluster.RoclusterException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Source of a pack: walks a local directory tree in canonical order and hands every entry to a
 * {@link RootfsTarWriter}. One lstat per entry, one llistxattr, and an lgetxattr per attribute; never
 * follows a symlink below the root. Metadata and file contents come from libc directly where
 * {@link NativeFiles} works (it halves the packing thread's per-entry CPU), else from the JDK's
 * {@code unix:*} view and file channels.
 */
final class DirectoryWalker {

    private static final int S_IFMT = 0170000;

    /** Inode identity of a multiply linked file, for hardlink detection. */
    private record Inode(long dev, long ino) {}

    private final RootfsTarWriter writer;
    private final byte[] xattrScratch = new byte[4096];
    /** Whether walks use {@link NativeFiles}; tests compare both ways. */
    static volatile boolean nativeFiles = NativeFiles.AVAILABLE;

    private final boolean useNative = nativeFiles;
    /** Where file contents are read to (native memory: hashed there, then copied into the tar buffer). */
    private final com.sun.jna.Memory readScratch = useNative ? new com.sun.jna.Memory(Pipe.CHUNK) : null;

    private DirectoryWalker(RootfsTarWriter writer) {
        this.writer = writer;
    }

    static void walk(Path root, RootfsTarWriter writer) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new RoclusterException(root + " is not a directory; give the root directory to pack");
        }
        DirectoryWalker w = new DirectoryWalker(writer);
        // The root itself may be reached through a symlink (e.g. a "current" link); nothing below it is.
        w.visit(root, "", w.stat(root, true));
    }

    private FileStat stat(Path p, boolean follow) throws IOException {
        return FileStat.of(p, follow, useNative);
    }

    private void visit(Path p, String rel, FileStat a) throws IOException {
        FileEntry.Type type = type(a.mode());
        if (type == null) {
            return; // sockets cannot be archived (as GNU tar: "socket ignored"); they are runtime objects
        }
        Object identity = type != FileEntry.Type.DIRECTORY && a.nlink() > 1 ? new Inode(a.dev(), a.ino()) : null;
        long size = type == FileEntry.Type.FILE ? a.size() : 0;
        String link = type == FileEntry.Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
        TarEntry e = new TarEntry(rel, type, a.mode() & 07777, a.uid(), a.gid(), size, a.mtime(), link,
                a.rdevMajor(), a.rdevMinor(), xattrs(p));
        boolean written = writer.add(rel, e, identity, (tar, n, digest) -> copy(p, tar, n, digest));
        if (!written || type != FileEntry.Type.DIRECTORY) {
            return;
        }
        for (String name : sortedChildren(p)) {
            Path child = p.resolve(name);
            String childRel = rel.isEmpty() ? name : rel + "/" + name;
            if (writer.excluded(childRel)) {
                continue;
            }
            visit(child, childRel, stat(child, false));
        }
    }

    private void copy(Path p, TarWriter tar, long size, Sha256 digest) throws IOException {
        if (readScratch == null) {
            try (var in = Files.newInputStream(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                tar.copyFrom(in, size, digest);
            }
            return;
        }
        int fd = NativeFiles.openRead(p);
        try {
            tar.copyFrom(fd, p, size, digest, readScratch);
        } finally {
            NativeFiles.close(fd, p);
        }
    }

    private static List<String> sortedChildren(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path c : ds) {
                String n = c.getFileName().toString();
                if (n.indexOf('\uFFFD') >= 0) {
                    throw new RoclusterException("cannot pack " + c + ": its name is not valid UTF-8;"
                            + " rename it (rocluster archives store UTF-8 names)");
                }
                names.add(n);
            }
        }
        names.sort(CanonicalOrder::compareNames);
        return names;
    }

    private Map<String, byte[]> xattrs(Path p) throws IOException {
        String[] names = Libc.listXattrs(p, xattrScratch);
        if (names.length == 0) {
            return Map.of();
        }
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String n : names) {
            byte[] v = Libc.getXattr(p, n);
            if (v != null) {
                m.put(n, v);
            }
        }
        return m;
    }

    static FileEntry.Type type(int mode) {
        return switch (mode & S_IFMT) {
            case 0100000 -> FileEntry.Type.FILE;
            case 0040000 -> FileEntry.Type.DIRECTORY;
            case 0120000 -> FileEntry.Type.SYMLINK;
            case 0020000 -> FileEntry.Type.CHAR_DEVICE;
            case 0060000 -> FileEntry.Type.BLOCK_DEVICE;
            case 0010000 -> FileEntry.Type.FIFO;
            default -> null;
        };
    }

    /** Whole seconds, rounding towards the past like stat's tv_sec. */
    static long seconds(FileTime t) {
        return t.toInstant().getEpochSecond();
    }
}
