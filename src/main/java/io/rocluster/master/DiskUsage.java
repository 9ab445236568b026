package io.rocluster.master;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Disk space of a deployed version, split into what it uses alone and what it shares with other
 * versions through dedup hardlinks. Counts allocated blocks ({@code st_blocks}, which the JDK does not
 * expose, hence one {@code lstat} per entry through JNA) and each inode once: an inode whose every link
 * is inside the version (nlink equals the links seen) is the version's alone; one with links outside
 * it is shared, and freeing the version would not free it.
 */
final class DiskUsage {

    /**
     * Space of one version.
     *
     * @param aloneBytes  bytes only this version uses (what removing it frees)
     * @param sharedBytes bytes of inodes also linked from elsewhere (other versions)
     * @param inodes      distinct inodes counted
     */
    record Usage(long aloneBytes, long sharedBytes, long inodes) {}

    private record Inode(long dev, long ino) {}

    private static final class Seen {
        final long nlink;
        final long bytes;
        long links;

        Seen(long nlink, long bytes) {
            this.nlink = nlink;
            this.bytes = bytes;
        }
    }

    // struct stat on Linux x86-64 and aarch64 (the generic layout) differ, but agree on these offsets.
    private static final int ST_DEV = 0;
    private static final int ST_INO = 8;
    private static final int ST_BLOCKS = 64;
    private static final boolean X86_64 = Platform.isIntel() && Platform.is64Bit();
    private static final int ST_NLINK_X86_64 = 16;
    private static final int ST_NLINK_GENERIC = 20;
    private static final int STAT_SIZE = 256;

    /** lstat(2): a real symbol since glibc 2.33 (Debian 12); older glibc (EL7) exports only __lxstat. */
    private interface Stat {
        void lstat(byte[] path, byte[] buf) throws LastErrorException;
    }

    private static final Stat STAT = bind();

    private static Stat bind() {
        try {
            Modern.bind();
            return Modern::lstat;
        } catch (UnsatisfiedLinkError e) {
            Legacy.bind();
            return (path, buf) -> Legacy.__lxstat(Legacy.STAT_VER, path, buf);
        }
    }

    private static final class Modern {
        static void bind() {
            Native.register(Modern.class, Platform.C_LIBRARY_NAME);
        }

        static native int lstat(byte[] path, byte[] statbuf) throws LastErrorException;
    }

    private static final class Legacy {
        /** _STAT_VER_LINUX on x86-64 (the kernel's struct stat layout). */
        static final int STAT_VER = 1;

        static void bind() {
            Native.register(Legacy.class, Platform.C_LIBRARY_NAME);
        }

        static native int __lxstat(int ver, byte[] path, byte[] statbuf) throws LastErrorException;
    }

    private DiskUsage() {}

    /** Measures the trees under {@code roots} together, as one version. */
    static Usage of(Path... roots) throws IOException {
        Map<Inode, Seen> inodes = new HashMap<>();
        byte[] buf = new byte[STAT_SIZE];
        for (Path root : roots) {
            if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                walk(root, inodes, buf);
            }
        }
        long alone = 0;
        long shared = 0;
        for (Seen s : inodes.values()) {
            if (s.links >= s.nlink) {
                alone += s.bytes;
            } else {
                shared += s.bytes;
            }
        }
        return new Usage(alone, shared, inodes.size());
    }

    private static void walk(Path p, Map<Inode, Seen> inodes, byte[] buf) throws IOException {
        ByteBuffer st = stat(p, buf);
        Inode id = new Inode(st.getLong(ST_DEV), st.getLong(ST_INO));
        long nlink = X86_64 ? st.getLong(ST_NLINK_X86_64) : st.getInt(ST_NLINK_GENERIC) & 0xffffffffL;
        boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        // A directory's link count counts its subdirectories' "..", not names elsewhere: it is always the version's.
        Seen s = inodes.computeIfAbsent(id, k -> new Seen(dir ? 1 : nlink, st.getLong(ST_BLOCKS) * 512));
        s.links++;
        if (dir) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    walk(c, inodes, buf);
                }
            }
        }
    }

    private static ByteBuffer stat(Path p, byte[] buf) throws IOException {
        byte[] b = p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] path = java.util.Arrays.copyOf(b, b.length + 1);
        try {
            STAT.lstat(path, buf);
        } catch (LastErrorException e) {
            throw new IOException("lstat " + p + ": " + e.getMessage(), e);
        }
        return ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
    }
}
