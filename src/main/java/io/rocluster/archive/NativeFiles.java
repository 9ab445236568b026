package io.rocluster.archive;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What packing asks of the file system once per entry, straight from libc: {@code statx} for the metadata
 * and {@code open}/{@code read}/{@code close} for a file's bytes, read into native memory where libcrypto
 * hashes them without another copy. Packing a root is ~16,000 entries on one thread; the JDK's
 * {@code unix:*} attribute map and a FileChannel per file cost about as much CPU as the system calls
 * themselves (perf), and the JDK copies every byte read once more from its temporary direct buffer.
 *
 * <p>Used on Linux x86-64 and arm64 with glibc 2.28 or later and a kernel that answers statx ({@link #AVAILABLE});
 * elsewhere the walker (and {@link FileStat}) keep the JDK's calls, with the same results.
 */
final class NativeFiles {

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** type, mode, nlink, uid, gid, mtime, ino, size: the fields read below. */
    private static final int STATX_MASK = 0x1 | 0x2 | 0x4 | 0x8 | 0x10 | 0x40 | 0x100 | 0x200;
    private static final int ENOENT = 2;
    private static final int EINTR = 4;
    private static final int O_CLOEXEC = 02000000;
    /** O_NOFOLLOW differs between architectures; null where rocluster does not know it. */
    private static final Integer O_NOFOLLOW = switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64" -> 0400000;
        case "aarch64" -> 0100000;
        default -> null;
    };

    /** True when the native calls can be used here. */
    static final boolean AVAILABLE = load();

    private NativeFiles() {}

    private static boolean load() {
        if (O_NOFOLLOW == null || !System.getProperty("os.name", "").startsWith("Linux")
                || Boolean.getBoolean("rocluster.jdkFiles")) {
            return false;
        }
        try {
            NativeSearchPath.set();
            Native.register(NativeFiles.class, Libc.C_LIBRARY);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return false; // glibc before 2.28 has no statx wrapper
        }
        try {
            // The wrapper can exist where the call does not: a kernel before 4.11 (ENOSYS), or a container whose
            // seccomp profile predates statx (EPERM). Then every stat would fail: keep the JDK's calls instead.
            statx(AT_FDCWD, new byte[] {'/', 0}, 0, STATX_MASK, new byte[256]);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    private static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf) throws LastErrorException;

    private static native int open(byte[] path, int flags) throws LastErrorException;

    private static native long read(int fd, Pointer buf, long count) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    /** lstat (the entry itself, never a symlink's target), or stat when {@code follow}. */
    static FileStat stat(Path p, boolean follow) throws IOException {
        byte[] buf = new byte[256];
        try {
            statx(AT_FDCWD, Libc.cpath(p), follow ? 0 : AT_SYMLINK_NOFOLLOW, STATX_MASK, buf);
        } catch (LastErrorException e) {
            throw error("statx", p, e);
        }
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        // struct statx (linux/stat.h): the same layout on every architecture.
        long nlink = b.getInt(16) & 0xffffffffL;
        long uid = b.getInt(20) & 0xffffffffL;
        long gid = b.getInt(24) & 0xffffffffL;
        int mode = b.getShort(28) & 0xffff;
        long ino = b.getLong(32);
        long size = b.getLong(40);
        long mtime = b.getLong(112);
        int rdevMajor = b.getInt(128);
        int rdevMinor = b.getInt(132);
        long dev = ((long) b.getInt(136) << 32) | (b.getInt(140) & 0xffffffffL);
        return new FileStat(mode, uid, gid, nlink, dev, ino, rdevMajor, rdevMinor, size, mtime);
    }

    /** Opens a regular file for reading without following a symlink (one swapped in since lstat fails). */
    static int openRead(Path p) throws IOException {
        try {
            return open(Libc.cpath(p), O_NOFOLLOW | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw error("open", p, e);
        }
    }

    /** Reads up to {@code n} bytes into {@code buf}; 0 at the end of the file. */
    static long read(int fd, Pointer buf, long n, Path p) throws IOException {
        while (true) {
            try {
                return read(fd, buf, n);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw error("read", p, e);
                }
            }
        }
    }

    static void close(int fd, Path p) throws IOException {
        try {
            close(fd);
        } catch (LastErrorException e) {
            throw error("close", p, e);
        }
    }

    private static IOException error(String call, Path p, LastErrorException e) {
        if (e.getErrorCode() == ENOENT) {
            return new NoSuchFileException(p.toString()); // as the JDK reports a file that vanished
        }
        return new SystemCallFailed(call, p, e);
    }
}
