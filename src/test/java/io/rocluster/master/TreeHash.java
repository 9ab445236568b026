package io.rocluster.master;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A digest of everything in a directory tree: every name, type, mode, owner, size, mtime, symlink target,
 * inode link count and content, in sorted order. Equal before and after means the tree is byte-for-byte
 * and metadata-for-metadata unchanged.
 */
public final class TreeHash {

    private TreeHash() {}

    public static String of(Path root) throws IOException {
        MessageDigest md = sha();
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.sorted().toList();
        }
        byte[] buf = new byte[1 << 16];
        for (Path p : all) {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,nlink",
                    LinkOption.NOFOLLOW_LINKS);
            boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            String line = root.relativize(p) + " " + a.get("mode") + " " + a.get("uid") + ":" + a.get("gid") + " "
                    + (dir ? "" : a.get("size") + " " + a.get("nlink") + " ") + a.get("lastModifiedTime")
                    + (Files.isSymbolicLink(p) ? " -> " + Files.readSymbolicLink(p) : "") + "\n";
            md.update(line.getBytes(StandardCharsets.UTF_8));
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                try (InputStream in = Files.newInputStream(p)) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
