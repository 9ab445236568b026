package io.rocluster.boot;

import io.rocluster.archive.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What one boot test started: its work directory (server config and state, TFTP root, console log), the
 * NFS server and the guest. {@link #close()} stops the guest, then the server, then removes the directory,
 * exactly once, whether the test ends normally, by an exception, or by Ctrl-C (a JVM shutdown hook, since
 * SIGINT skips {@code finally} blocks).
 */
final class BootWorkspace implements AutoCloseable {

    final Path dir;
    private final Thread hook;
    private GaneshaServer server;
    private QemuMachine guest;
    private boolean closed;

    BootWorkspace() throws IOException {
        dir = Files.createTempDirectory("rocluster-boottest-");
        hook = new Thread(this::release, "rocluster-boottest-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    synchronized void server(GaneshaServer s) {
        server = s;
    }

    synchronized void guest(QemuMachine g) {
        guest = g;
    }

    /** Stops the guest and then the server, keeping the directory (the console log is still read). */
    synchronized void stopAll() {
        if (guest != null) {
            guest.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void close() {
        release();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: release() is idempotent.
        }
    }

    private synchronized void release() {
        if (closed) {
            return;
        }
        closed = true;
        stopAll();
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the boot test's work directory " + dir, e);
        }
    }
}
