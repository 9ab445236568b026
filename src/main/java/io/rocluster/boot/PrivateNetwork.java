package io.rocluster.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The network a boot test's NFS server and guest share: a network namespace of their own when this
 * process may make one (root, util-linux's unshare and nsenter), else the host's. In a namespace of its
 * own, the private NFS-Ganesha binds 127.0.0.1:2049 there, so a boot test runs beside the master's own NFS
 * server (which holds 2049 on the host) and beside other boot tests; QEMU's user-mode network, started in
 * the same namespace, forwards the guest's connections to the server address to that loopback.
 *
 * <p>The namespace lives as long as a holder process ({@code unshare --net sleep infinity}); it is
 * recorded with the boot test's other processes, so a killed test's namespace goes with them.
 */
final class PrivateNetwork implements AutoCloseable {

    /** The holder's program and argument, by which a later boot test recognises an orphaned holder. */
    static final String HOLDER_ARG = "infinity";

    private final Process holder;

    private PrivateNetwork(Process holder) {
        this.holder = holder;
    }

    /** The host's network: commands run as they are. */
    static PrivateNetwork host() {
        return new PrivateNetwork(null);
    }

    /** A namespace of its own with loopback up, or the host's network with {@code why} it could not be made. */
    static PrivateNetwork create(java.util.function.Consumer<String> why) {
        if (!"root".equals(System.getProperty("user.name")) || Executables.find("unshare").isEmpty()
                || Executables.find("nsenter").isEmpty() || Executables.find("ip").isEmpty()) {
            why.accept("network: the host's (a namespace of its own needs root, unshare, nsenter and ip); "
                    + "the NFS port 2049 must be free on 127.0.0.1");
            return host();
        }
        Process p = null;
        try {
            p = new ProcessBuilder("unshare", "--net", "--", "sleep", HOLDER_ARG).redirectErrorStream(true).start();
            PrivateNetwork n = new PrivateNetwork(p);
            // The links read "net:[inode]": a new inode once unshare has made the namespace.
            Path own = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/ns/net")).equals(own)) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("unshare --net did not make a namespace");
                }
                Thread.sleep(20);
            }
            // Loopback, and one address besides it: Ganesha resolves Bind_addr with getaddrinfo(AI_ADDRCONFIG),
            // which finds no IPv4 at all ("No IP address found for 127.0.0.1") while loopback is the only one.
            // A veth pair inside the namespace is the one link type this kernel always has (no dummy module).
            Process up = new ProcessBuilder(n.wrap(List.of("sh", "-ec", "ip link set lo up; "
                    + "ip link add rocluster0 type veth peer name rocluster1; ip addr add 192.0.2.1/30 dev rocluster0; "
                    + "ip link set rocluster0 up; ip link set rocluster1 up"))).redirectErrorStream(true).start();
            String out = new String(up.getInputStream().readAllBytes());
            if (up.waitFor() != 0) {
                throw new IOException("setting up its links: " + out.strip());
            }
            return n;
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (p != null) {
                p.destroyForcibly();
            }
            why.accept("network: the host's (no namespace of its own: " + e.getMessage() + "); the NFS port 2049 "
                    + "must be free on 127.0.0.1");
            return host();
        }
    }

    /** Whether the test has a namespace of its own. */
    boolean isPrivate() {
        return holder != null;
    }

    /** The holder's pid (a private namespace only). */
    long holderPid() {
        return holder.pid();
    }

    /** {@code command} as it runs in this network. */
    List<String> wrap(List<String> command) {
        if (holder == null) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("nsenter", "--net=/proc/" + holder.pid() + "/ns/net", "--"));
        out.addAll(command);
        return out;
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port} in this network. */
    boolean listening(int port) throws IOException {
        if (holder == null) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }
        Process probe = new ProcessBuilder(wrap(List.of("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            probe.destroyForcibly();
        }
    }

    @Override
    public void close() {
        if (holder != null) {
            holder.destroyForcibly();
            try {
                holder.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
