package io.rocluster.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What one {@code lstat} (or {@code stat}) says about a file, from a single {@code statx} call where
 * {@link NativeFiles} works, else from the JDK's {@code unix:*} attributes (a map of boxed values built per call:
 * about as much CPU as the system call itself, which matters once per file of a root).
 *
 * @param mode      file type and permission bits, as st_mode
 * @param mtime     modification time, whole seconds
 * @param rdevMajor device major number of a device node, else 0
 * @param rdevMinor device minor number of a device node, else 0
 */
public record FileStat(int mode, long uid, long gid, long nlink, long dev, long ino, int rdevMajor, int rdevMinor,
        long size, long mtime) {

    private static final String ATTRS = "unix:mode,uid,gid,ino,dev,rdev,nlink,size,lastModifiedTime";

    /** The file itself, never a symlink's target. */
    public static FileStat lstat(Path p) throws IOException {
        return of(p, false, NativeFiles.AVAILABLE);
    }

    /** Whether this is a regular file (not a symlink, directory or device). */
    public boolean isRegularFile() {
        return (mode & 0170000) == 0100000;
    }

    /** Whether this is a directory (not a symlink to one). */
    public boolean isDirectory() {
        return (mode & 0170000) == 0040000;
    }

    static FileStat of(Path p, boolean follow, boolean useNative) throws IOException {
        if (useNative) {
            return NativeFiles.stat(p, follow);
        }
        Map<String, Object> a = follow ? Files.readAttributes(p, ATTRS)
                : Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
        long rdev = ((Number) a.get("rdev")).longValue();
        return new FileStat(((Number) a.get("mode")).intValue(), ((Number) a.get("uid")).longValue(),
                ((Number) a.get("gid")).longValue(), ((Number) a.get("nlink")).longValue(),
                ((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue(), Libc.major(rdev),
                Libc.minor(rdev), ((Number) a.get("size")).longValue(),
                ((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond());
    }
}
