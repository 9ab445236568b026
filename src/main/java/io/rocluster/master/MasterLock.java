package io.rocluster.master;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The master's exclusive lock: an advisory lock on {@code .lock} held for the whole of a command that
 * changes the master, so promotes, rollbacks, deploys and gc from separate processes run one after the
 * other and none is lost. The kernel drops the lock when its holder dies (even by SIGKILL), so a crash
 * never leaves the master locked.
 *
 * <p>Java's {@link FileChannel#lock()} is a POSIX record lock (fcntl), which serialises processes just as
 * flock does; because POSIX locks belong to the process, threads of one JVM are serialised by an
 * in-process lock first.
 */
final class MasterLock implements AutoCloseable {

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock lock;

    private MasterLock(ReentrantLock threadLock, FileChannel channel, FileLock lock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.lock = lock;
    }

    /** Blocks until the lock is held; says once on {@code notice} that it waits for another command. */
    static MasterLock acquire(Path lockFile, PrintStream notice) {
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(),
                p -> new ReentrantLock());
        if (threadLock.isHeldByCurrentThread()) {
            // A service opened a session inside another: POSIX locks cannot nest in one process.
            throw new IllegalStateException("the master lock is already held by this thread");
        }
        threadLock.lock();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                if (notice != null) {
                    notice.println("rocluster: waiting for another rocluster command on this master to finish");
                }
                l = ch.lock();
            }
            return new MasterLock(threadLock, ch, l);
        } catch (IOException e) {
            closeQuietly(ch);
            threadLock.unlock();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            closeQuietly(ch);
            threadLock.unlock();
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Closing releases the lock; nothing else to do.
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it anyway.
        }
        closeQuietly(channel);
        threadLock.unlock();
    }
}
