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
 * SIGINT skips {@code finally} blocks). A SIGKILL runs no hook, so the directory also records its owner's
 * pid and the pids it started: the next boot test stops whatever a killed one left running (a QEMU and a
 * Ganesha holding the NFS port) before it starts its own, as the next build removes a killed build's
 * container.
 */
final class BootWorkspace implements AutoCloseable {

    final Path dir;
    private final Thread hook;
    private GaneshaServer server;
    private QemuMachine guest;
    private PrivateNetwork network;
    private boolean closed;

    static final String PREFIX = "rocluster-boottest-";
    private static final String OWNER = "owner.pid";
    private static final String CHILDREN = "children.pids";

    BootWorkspace() throws IOException {
        dir = Files.createTempDirectory(PREFIX);
        Files.writeString(dir.resolve(OWNER), ProcessHandle.current().pid() + "\n");
        hook = new Thread(this::release, "rocluster-boottest-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    synchronized void server(GaneshaServer s) {
        server = s;
        recordChild(s.pid());
    }

    synchronized void network(PrivateNetwork n) {
        network = n;
        if (n.isPrivate()) {
            recordChild(n.holderPid());
        }
    }

    synchronized void guest(QemuMachine g) {
        guest = g;
        recordChild(g.pid());
    }

    private void recordChild(long pid) {
        try {
            Files.writeString(dir.resolve(CHILDREN), pid + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the QEMU and Ganesha processes of boot tests whose rocluster process is gone (killed), and
     * removes their work directories; returns what was stopped, one line each. A pid is only stopped while
     * it still runs one of those two programs (pids are reused).
     */
    static java.util.List<String> stopOrphans(Path tmp) throws IOException {
        java.util.List<String> stopped = new java.util.ArrayList<>();
        if (!Files.isDirectory(tmp)) {
            return stopped;
        }
        java.util.List<Path> dirs;
        try (java.util.stream.Stream<Path> s = Files.list(tmp)) {
            dirs = s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList();
        }
        for (Path d : dirs) {
            Long owner = readPid(d.resolve(OWNER));
            if (owner == null || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            Path children = d.resolve(CHILDREN);
            for (String line : Files.isRegularFile(children) ? Files.readAllLines(children) : java.util.List.<String>of()) {
                Long pid = parsePid(line);
                ProcessHandle h = pid == null ? null : ProcessHandle.of(pid).orElse(null);
                String command = h == null ? "" : h.info().command().orElse("");
                boolean holder = command.endsWith("/sleep")
                        && java.util.Arrays.equals(h.info().arguments().orElse(null), new String[] {PrivateNetwork.HOLDER_ARG});
                if (h != null && h.isAlive() && (command.endsWith("/qemu-system-x86_64") || command.endsWith("/ganesha.nfsd")
                        || holder)) {
                    h.destroyForcibly();
                    h.onExit().join();
                    stopped.add(command.substring(command.lastIndexOf('/') + 1) + " (pid " + pid + ") of a boot test whose "
                            + "rocluster (pid " + owner + ") was killed");
                }
            }
            FileTrees.delete(d);
        }
        return stopped;
    }

    private static Long readPid(Path file) throws IOException {
        return Files.isRegularFile(file) ? parsePid(Files.readString(file)) : null;
    }

    private static Long parsePid(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Stops the guest, then the server, then their network namespace, keeping the directory (the console
     * log is still read).
     */
    synchronized void stopAll() {
        if (guest != null) {
            guest.close();
        }
        if (server != null) {
            server.close();
        }
        if (network != null) {
            network.close();
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
