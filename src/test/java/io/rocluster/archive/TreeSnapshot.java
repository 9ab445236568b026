package io.rocluster.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything an extraction must reproduce, read from a real directory tree with lstat and libc: one line
 * per path (type, mode, owner, size, content digest, link target, device numbers, mtime, xattrs in hex,
 * hardlink group). Two trees are faithful copies when their snapshots are equal.
 */
public final class TreeSnapshot {

    private TreeSnapshot() {}

    /** Snapshot of {@code root}, leaving out paths for which {@code skip} says so (relative paths). */
    public static Map<String, String> of(Path root, java.util.function.Predicate<String> skip) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Map<String, String> firstOfInode = new HashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String rel = root.relativize(p).toString();
                if (skip.test(rel)) {
                    continue;
                }
                Map<String, Object> a = Files.readAttributes(p,
                        "unix:mode,uid,gid,ino,dev,rdev,nlink,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                FileEntry.Type type = DirectoryWalker.type(mode);
                StringBuilder b = new StringBuilder();
                b.append(type).append(' ').append(Integer.toOctalString(mode & 07777))
                        .append(' ').append(a.get("uid")).append(':').append(a.get("gid"));
                if (!rel.isEmpty()) { // the root's mtime changes when the tree is extracted into it
                    b.append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond());
                }
                if (type == FileEntry.Type.FILE) {
                    b.append(" size=").append(a.get("size")).append(" sha256=").append(sha256(p));
                }
                if (type == FileEntry.Type.SYMLINK) {
                    b.append(" -> ").append(Files.readSymbolicLink(p));
                }
                if (type == FileEntry.Type.CHAR_DEVICE || type == FileEntry.Type.BLOCK_DEVICE) {
                    long rdev = (Long) a.get("rdev");
                    b.append(" dev=").append(Libc.major(rdev)).append(',').append(Libc.minor(rdev));
                }
                if (type != FileEntry.Type.DIRECTORY && ((Number) a.get("nlink")).intValue() > 1) {
                    String key = a.get("dev") + ":" + a.get("ino");
                    b.append(" linkgroup=").append(firstOfInode.computeIfAbsent(key, k -> rel));
                }
                for (String x : new java.util.TreeSet<>(java.util.List.of(Libc.listXattrs(p, new byte[4096])))) {
                    b.append(' ').append(x).append("=0x").append(HexFormat.of().formatHex(Libc.getXattr(p, x)));
                }
                out.put(rel, b.toString());
            }
        }
        return out;
    }

    static String sha256(Path p) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
