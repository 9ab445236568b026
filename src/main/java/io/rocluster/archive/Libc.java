package io.rocluster.archive;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * The few libc calls the JDK lacks: extended attributes of every namespace (the JDK's
 * UserDefinedFileAttributeView reaches only {@code user.*}, never {@code security.capability}), without
 * following symlinks, and {@code mknod} for device nodes and FIFOs. Direct-mapped JNA: one native call
 * per operation, no per-call reflection.
 */
final class Libc {

    private static final int EPERM = 1;
    private static final int ENODATA = 61;
    private static final int ENOTSUP = 95;
    private static final int ERANGE = 34;

    /** Paths go to the kernel in the same encoding the JDK itself uses for file names. */
    private static final Charset PATH_CHARSET = Charset.forName(
            System.getProperty("sun.jnu.encoding", "UTF-8"));

    /**
     * glibc's soname where it exists: JNA's own name for the C library, "c", maps to libc.so, which on a
     * machine with libc6-dev is a linker script dlopen refuses; JNA then forks {@code ldconfig -p} to search,
     * which cost 20-400 ms of every command's start-up (measured: BENCHMARKS.md).
     */
    static final String C_LIBRARY = c();

    static {
        Native.register(Libc.class, C_LIBRARY);
    }

    private static String c() {
        NativeSearchPath.set();
        if (Platform.isLinux()) {
            try {
                com.sun.jna.NativeLibrary.getInstance("libc.so.6");
                return "libc.so.6";
            } catch (UnsatisfiedLinkError notGlibc) {
                // musl or another C library: let JNA find it
            }
        }
        return Platform.C_LIBRARY_NAME;
    }

    private Libc() {}

    private static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

    private static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size)
            throws LastErrorException;

    private static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags)
            throws LastErrorException;


    private static native int lchown(byte[] path, int uid, int gid) throws LastErrorException;

    private static native int chmod(byte[] path, int mode) throws LastErrorException;

    private static native int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

    private static native int open(byte[] path, int flags) throws LastErrorException;

    private static native int syncfs(int fd) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    static byte[] cpath(Path p) {
        byte[] b = p.toString().getBytes(PATH_CHARSET);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }

    private static byte[] cstring(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }

    /**
     * Names of the extended attributes of {@code p} itself (a symlink's own), in the kernel's order;
     * empty where the file system has none or does not support them.
     */
    static String[] listXattrs(Path p, byte[] scratch) throws IOException {
        byte[] path = cpath(p);
        byte[] buf = scratch;
        long n;
        while (true) {
            try {
                n = llistxattr(path, buf, buf.length);
                break;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENOTSUP) {
                    return new String[0];
                }
                if (e.getErrorCode() != ERANGE) {
                    throw ioError("llistxattr", p, e);
                }
                buf = new byte[(int) sizeOrThrow(() -> llistxattr(path, null, 0), "llistxattr", p) + 256];
            }
        }
        if (n == 0) {
            return new String[0];
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == 0) {
                count++;
            }
        }
        String[] names = new String[count];
        int start = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == 0) {
                names[k++] = new String(buf, start, i - start, java.nio.charset.StandardCharsets.UTF_8);
                start = i + 1;
            }
        }
        return names;
    }

    /** The raw value of one extended attribute of {@code p} itself, or null if it vanished meanwhile. */
    static byte[] getXattr(Path p, String name) throws IOException {
        byte[] path = cpath(p);
        byte[] cname = cstring(name);
        byte[] buf = new byte[256];
        while (true) {
            try {
                long n = lgetxattr(path, cname, buf, buf.length);
                return java.util.Arrays.copyOf(buf, (int) n);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENODATA) {
                    return null;
                }
                if (e.getErrorCode() != ERANGE) {
                    throw ioError("lgetxattr " + name, p, e);
                }
                buf = new byte[(int) sizeOrThrow(() -> lgetxattr(path, cname, null, 0), "lgetxattr", p) + 256];
            }
        }
    }

    /** Sets one extended attribute on {@code p} itself (never on a symlink's target). */
    static void setXattr(Path p, String name, byte[] value) throws IOException {
        try {
            lsetxattr(cpath(p), cstring(name), value, value.length, 0);
        } catch (LastErrorException e) {
            throw ioError("lsetxattr " + name, p, e);
        }
    }

    /** Changes the owner of {@code p} itself (one call for both ids; never follows a symlink). */
    static void lchown(Path p, long uid, long gid) throws IOException {
        try {
            lchown(cpath(p), (int) uid, (int) gid);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EPERM) {
                throw new io.rocluster.RoclusterException("cannot give " + p + " to owner " + uid + ":" + gid
                        + " (not permitted); restoring a root file system needs root: run as root");
            }
            throw ioError("lchown", p, e);
        }
    }

    /**
     * chmod by path. The JDK's {@code unix:mode} and {@code setTimes} open the file first, which blocks on
     * a FIFO and fails on a device node without a driver; these calls never open it. Not for symlinks
     * (callers never pass one: Linux has no lchmod).
     */
    static void chmod(Path p, int mode) throws IOException {
        try {
            chmod(cpath(p), mode);
        } catch (LastErrorException e) {
            throw ioError("chmod", p, e);
        }
    }

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final long UTIME_OMIT = (1L << 30) - 2;

    /** Sets the mtime (whole seconds) of {@code p} itself, a symlink's own included; atime is left alone. */
    static void setMtime(Path p, long seconds) throws IOException {
        try {
            utimensat(AT_FDCWD, cpath(p), new long[] {0, UTIME_OMIT, seconds, 0}, AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw ioError("utimensat", p, e);
        }
    }

    /** Creates a device node or FIFO; {@code mode} carries the file-type bits (S_IFCHR, S_IFBLK, S_IFIFO). */
    static void mknod(Path p, int mode, int major, int minor) throws IOException {
        long dev = makedev(major, minor);
        // Looked up per call (devices are few): glibc before 2.33 exports only __xmknod, so a
        // direct mapping of mknod would break the whole class on such a master.
        com.sun.jna.NativeLibrary c = com.sun.jna.NativeLibrary.getInstance(C_LIBRARY);
        int rc;
        try {
            rc = c.getFunction("mknod", com.sun.jna.Function.THROW_LAST_ERROR)
                    .invokeInt(new Object[] {cpath(p), mode, dev});
        } catch (UnsatisfiedLinkError e) {
            try {
                rc = c.getFunction("__xmknod", com.sun.jna.Function.THROW_LAST_ERROR)
                        .invokeInt(new Object[] {0, cpath(p), mode, new long[] {dev}});
            } catch (LastErrorException le) {
                throw ioError("mknod", p, le);
            }
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EPERM) {
                throw new io.rocluster.RoclusterException("cannot create device node " + p
                        + " (not permitted); restoring a root file system needs root: run as root");
            }
            throw ioError("mknod", p, e);
        }
        if (rc != 0) {
            throw new IOException("mknod " + p + " failed");
        }
    }

    /** Flushes the whole file system holding {@code p}: one call instead of an fsync per file. */
    static void syncFileSystem(Path p) throws IOException {
        int fd;
        try {
            fd = open(cpath(p), 0);
        } catch (LastErrorException e) {
            throw ioError("open", p, e);
        }
        try {
            syncfs(fd);
        } catch (LastErrorException e) {
            throw ioError("syncfs", p, e);
        } finally {
            close(fd);
        }
    }

    /** glibc's makedev: 12-bit major and 20-bit minor split across the 64-bit dev_t. */
    static long makedev(long major, long minor) {
        return (minor & 0xffL) | ((major & 0xfffL) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL));
    }

    static int minor(long dev) {
        return (int) ((dev & 0xffL) | ((dev >>> 12) & ~0xffL));
    }

    private interface SizeCall {
        long call() throws LastErrorException;
    }

    private static long sizeOrThrow(SizeCall c, String what, Path p) throws IOException {
        try {
            return c.call();
        } catch (LastErrorException e) {
            throw ioError(what, p, e);
        }
    }

    private static IOException ioError(String what, Path p, LastErrorException e) {
        return new SystemCallFailed(what, p, e);
    }
}
