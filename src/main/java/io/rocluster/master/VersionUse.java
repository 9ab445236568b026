package io.rocluster.master;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A version in use outside the master lock: a boot test reads {@code images/<v>} for minutes while
 * promote, deploy and gc stay usable. It holds a shared POSIX lock on {@code .in-use/<v>} for that time;
 * gc, before removing a version, tries the exclusive lock and keeps the version when it cannot have it.
 * The kernel drops the lock when its holder dies, so a killed boot test never pins a version.
 */
public final class VersionUse implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private VersionUse(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Marks {@code version} in use (shared: several boot tests may use one version); waits while gc removes
     * it. When this process already holds a lock on it, that one stands for both.
     */
    public static VersionUse share(MasterLayout layout, String version) {
        VersionUse u = open(layout, version, true);
        return u != null ? u : new VersionUse(null, null);
    }

    /**
     * The exclusive claim gc needs to remove {@code version}, or null while something uses it (in this
     * process or another).
     */
    static VersionUse tryExclusive(MasterLayout layout, String version) {
        return open(layout, version, false);
    }

    /** The shared lock is waited for; the exclusive one only tried (null when taken). */
    private static VersionUse open(MasterLayout layout, String version, boolean shared) {
        Path file = layout.inUse(version);
        FileChannel ch = null;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = shared ? ch.lock(0, Long.MAX_VALUE, true) : ch.tryLock(0, Long.MAX_VALUE, false);
            } catch (OverlappingFileLockException heldHere) {
                l = null;
            }
            if (l == null) {
                ch.close();
                return null;
            }
            return new VersionUse(ch, l);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
