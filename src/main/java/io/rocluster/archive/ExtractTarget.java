package io.rocluster.archive;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The system calls an extraction makes, all inside its private directory and given paths relative to it
 * (already checked by {@link Extractor}: every ancestor is a directory the extraction made).
 *
 * <p>On Linux with a known ABI ({@link AtCalls#AVAILABLE}) the calls are libc's, as GNU tar makes them: relative to
 * a descriptor of the directory ({@code openat}, {@code mkdirat}, {@code symlinkat}, {@code linkat}), and a regular
 * file's metadata through its open descriptor ({@code fchown}, {@code fchmod}, {@code fsetxattr}, {@code futimens})
 * before it is closed. Its bytes are written from native memory, where they were hashed, without the copy the JDK
 * makes of every heap buffer it writes. The JDK's FileChannel plus path-based calls cost about as much CPU as the
 * system calls themselves (perf of a 16,000-file deploy); elsewhere they remain, with the same results.
 *
 * <p>Per regular file the order is data, owner, mode, xattrs, mtime: chown clears setuid bits and file capabilities.
 */
abstract class ExtractTarget implements Closeable {

    /** A regular file being written. */
    interface NewFile {
        /** Writes {@code length} bytes of native memory at {@code p + offset}. */
        void write(Pointer p, long offset, int length) throws IOException;

        /** Applies owner, mode, xattrs and mtime, and closes the file. */
        void finish(TarEntry e) throws IOException;

        /** Closes the file after a failure, quietly. */
        void abandon();
    }

    /** libc's calls where they work here; tests switch to the JDK's to hold both paths to the same results. */
    static volatile boolean atCalls = AtCalls.AVAILABLE;

    final Path dir;

    private ExtractTarget(Path dir) {
        this.dir = dir;
    }

    /** Binds libc's calls now (the class's initialisation does, on first use otherwise). */
    static void bind() {
        // nothing more: calling this initialises the class, and so atCalls
    }

    /** The target for an extraction into {@code dir} (an empty directory this extraction created). */
    static ExtractTarget open(Path dir) throws IOException {
        return atCalls ? new AtCalls(dir) : new JdkCalls(dir);
    }

    abstract void mkdir(String path) throws IOException;

    /** Creates a new regular file (never following a symlink, never reusing an existing name). */
    abstract NewFile create(String path) throws IOException;

    abstract void symlink(String path, String target) throws IOException;

    /** Hardlinks {@code path} to {@code existing}, a file extracted before it. */
    abstract void link(String path, String existing) throws IOException;

    /** Hardlinks {@code path} to a file outside the tree (dedup: a file of another version). */
    abstract void linkFrom(String path, Path existing) throws IOException;

    /** Owner, mode (not for symlinks), xattrs and mtime of a directory, symlink, device or FIFO; "" is the root. */
    abstract void metadata(String path, TarEntry e) throws IOException;

    /** Makes everything on the directory's file system durable (one barrier for the whole tree). */
    abstract void syncFileSystem() throws IOException;

    void mknod(String path, int mode, int major, int minor) throws IOException {
        Libc.mknod(resolve(path), mode, major, minor);
    }

    Path resolve(String path) {
        return path.isEmpty() ? dir : dir.resolve(path);
    }

    /** libc, relative to a descriptor of the directory. */
    static final class AtCalls extends ExtractTarget {

        private static final int AT_SYMLINK_NOFOLLOW = 0x100;
        private static final int AT_FDCWD = -100;
        private static final int O_WRONLY = 01;
        private static final int O_CREAT = 0100;
        private static final int O_EXCL = 0200;
        private static final int O_CLOEXEC = 02000000;
        private static final int EINTR = 4;
        private static final int EPERM = 1;
        private static final long UTIME_OMIT = (1L << 30) - 2;
        /** O_DIRECTORY and O_NOFOLLOW by architecture (asm-generic values, or arm's and powerpc's own). */
        private static final int[] FLAGS = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64", "riscv64", "s390x", "loongarch64" -> new int[] {0200000, 0400000};
            case "aarch64", "ppc64le", "ppc64" -> new int[] {040000, 0100000};
            default -> null;
        };
        private static final Charset PATHS = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

        static final boolean AVAILABLE = load();

        private static boolean load() {
            if (FLAGS == null || !System.getProperty("os.name", "").startsWith("Linux")
                    || !"64".equals(System.getProperty("sun.arch.data.model")) || Boolean.getBoolean("rocluster.jdkFiles")) {
                return false;
            }
            try {
                NativeSearchPath.set();
                com.sun.jna.Native.register(AtCalls.class, Libc.C_LIBRARY);
                return true;
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                return false;
            }
        }

        private static native int open(byte[] path, int flags) throws LastErrorException;

        private static native int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

        private static native long write(int fd, Pointer buf, long count) throws LastErrorException;

        private static native int fchown(int fd, int uid, int gid) throws LastErrorException;

        private static native int fchmod(int fd, int mode) throws LastErrorException;

        private static native int fsetxattr(int fd, byte[] name, byte[] value, long size, int flags)
                throws LastErrorException;

        private static native int futimens(int fd, long[] times) throws LastErrorException;

        private static native int close(int fd) throws LastErrorException;

        private static native int mkdirat(int dirfd, byte[] path, int mode) throws LastErrorException;

        private static native int symlinkat(byte[] target, int dirfd, byte[] path) throws LastErrorException;

        private static native int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags)
                throws LastErrorException;

        private static native int fchownat(int dirfd, byte[] path, int uid, int gid, int flags) throws LastErrorException;

        private static native int fchmodat(int dirfd, byte[] path, int mode, int flags) throws LastErrorException;

        private static native int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

        private static native int syncfs(int fd) throws LastErrorException;

        private final int dirfd;
        /** One timespec pair, reused: atime left alone, mtime in whole seconds. */
        private final long[] times = {0, UTIME_OMIT, 0, 0};

        AtCalls(Path dir) throws IOException {
            super(dir);
            try {
                dirfd = open(Libc.cpath(dir), FLAGS[0] | FLAGS[1] | O_CLOEXEC);
            } catch (LastErrorException e) {
                throw error("open", "", e);
            }
        }

        private static byte[] c(String s) {
            byte[] b = s.getBytes(PATHS);
            byte[] z = new byte[b.length + 1];
            System.arraycopy(b, 0, z, 0, b.length);
            return z;
        }

        /** The path for a call on the root itself ("." relative to its own descriptor). */
        private static byte[] rel(String path) {
            return c(path.isEmpty() ? "." : path);
        }

        private IOException error(String call, String path, LastErrorException e) {
            return new SystemCallFailed(call, resolve(path), e);
        }

        /** As {@link Libc#lchown}: not being root is the user's to fix, in one line. */
        private IOException chownError(String path, TarEntry t, LastErrorException e) {
            if (e.getErrorCode() == EPERM) {
                throw new io.rocluster.RoclusterException("cannot give " + resolve(path) + " to owner " + t.uid() + ":"
                        + t.gid() + " (not permitted); restoring a root file system needs root: run as root");
            }
            return error("lchown", path, e);
        }

        @Override
        void mkdir(String path) throws IOException {
            try {
                mkdirat(dirfd, c(path), 0777); // as mkdir(1): the umask applies; a directory entry's own mode comes last
            } catch (LastErrorException e) {
                throw error("mkdir", path, e);
            }
        }

        @Override
        NewFile create(String path) throws IOException {
            int fd;
            try {
                fd = openat(dirfd, c(path), O_WRONLY | O_CREAT | O_EXCL | FLAGS[1] | O_CLOEXEC, 0600);
            } catch (LastErrorException e) {
                throw error("open", path, e);
            }
            return new NewFile() {
                private boolean closed;

                @Override
                public void write(Pointer p, long offset, int length) throws IOException {
                    long done = 0;
                    while (done < length) {
                        try {
                            done += AtCalls.write(fd, p.share(offset + done), length - done);
                        } catch (LastErrorException e) {
                            if (e.getErrorCode() != EINTR) {
                                throw error("write", path, e);
                            }
                        }
                    }
                }

                @Override
                public void finish(TarEntry e) throws IOException {
                    String call = "fchown";
                    try {
                        fchown(fd, (int) e.uid(), (int) e.gid());
                        call = "fchmod";
                        fchmod(fd, e.mode() & 07777);
                        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                            call = "fsetxattr " + x.getKey();
                            fsetxattr(fd, c(x.getKey()), x.getValue(), x.getValue().length, 0);
                        }
                        call = "futimens";
                        times[2] = e.mtime();
                        futimens(fd, times);
                        call = "close";
                        closed = true;
                        close(fd);
                    } catch (LastErrorException x) {
                        abandon();
                        throw call.equals("fchown") ? chownError(path, e, x) : error(call, path, x);
                    }
                }

                @Override
                public void abandon() {
                    if (!closed) {
                        closed = true;
                        try {
                            close(fd);
                        } catch (LastErrorException ignored) {
                            // the failure being reported matters more
                        }
                    }
                }
            };
        }

        @Override
        void symlink(String path, String target) throws IOException {
            try {
                symlinkat(c(target), dirfd, c(path));
            } catch (LastErrorException e) {
                throw error("symlink", path, e);
            }
        }

        @Override
        void link(String path, String existing) throws IOException {
            try {
                linkat(dirfd, c(existing), dirfd, c(path), 0);
            } catch (LastErrorException e) {
                throw error("link", path, e);
            }
        }

        @Override
        void linkFrom(String path, Path existing) throws IOException {
            try {
                linkat(AT_FDCWD, Libc.cpath(existing), dirfd, c(path), 0);
            } catch (LastErrorException e) {
                throw error("link", path, e);
            }
        }

        @Override
        void metadata(String path, TarEntry e) throws IOException {
            byte[] p = rel(path);
            String call = "lchown";
            try {
                fchownat(dirfd, p, (int) e.uid(), (int) e.gid(), AT_SYMLINK_NOFOLLOW);
                if (e.type() != FileEntry.Type.SYMLINK) {
                    call = "chmod";
                    fchmodat(dirfd, p, e.mode() & 07777, 0);
                }
            } catch (LastErrorException x) {
                throw call.equals("lchown") ? chownError(path, e, x) : error(call, path, x);
            }
            for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                Libc.setXattr(resolve(path), x.getKey(), x.getValue());
            }
            try {
                times[2] = e.mtime();
                utimensat(dirfd, p, times, AT_SYMLINK_NOFOLLOW);
            } catch (LastErrorException x) {
                throw error("utimensat", path, x);
            }
        }

        @Override
        void syncFileSystem() throws IOException {
            try {
                syncfs(dirfd);
            } catch (LastErrorException e) {
                throw error("syncfs", "", e);
            }
        }

        @Override
        public void close() {
            try {
                close(dirfd);
            } catch (LastErrorException ignored) {
                // a directory opened read-only: nothing to lose
            }
        }
    }

    /** The JDK's calls plus {@link Libc}'s path-based ones, for systems whose libc ABI rocluster does not know. */
    static final class JdkCalls extends ExtractTarget {

        JdkCalls(Path dir) {
            super(dir);
        }

        @Override
        void mkdir(String path) throws IOException {
            Files.createDirectory(resolve(path));
        }

        @Override
        NewFile create(String path) throws IOException {
            Path p = resolve(path);
            FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            return new NewFile() {
                @Override
                public void write(Pointer mem, long offset, int length) throws IOException {
                    ByteBuffer bb = mem.getByteBuffer(offset, length);
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                }

                @Override
                public void finish(TarEntry e) throws IOException {
                    ch.close();
                    JdkCalls.this.metadata(path, e);
                }

                @Override
                public void abandon() {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // the failure being reported matters more
                    }
                }
            };
        }

        @Override
        void symlink(String path, String target) throws IOException {
            Files.createSymbolicLink(resolve(path), dir.getFileSystem().getPath(target));
        }

        @Override
        void link(String path, String existing) throws IOException {
            Files.createLink(resolve(path), resolve(existing));
        }

        @Override
        void linkFrom(String path, Path existing) throws IOException {
            Files.createLink(resolve(path), existing);
        }

        @Override
        void metadata(String path, TarEntry e) throws IOException {
            Path p = resolve(path);
            Libc.lchown(p, e.uid(), e.gid());
            if (e.type() != FileEntry.Type.SYMLINK) {
                Libc.chmod(p, e.mode() & 07777);
            }
            for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                Libc.setXattr(p, x.getKey(), x.getValue());
            }
            Libc.setMtime(p, e.mtime());
        }

        @Override
        void syncFileSystem() throws IOException {
            Libc.syncFileSystem(dir);
        }

        @Override
        public void close() {}
    }
}
