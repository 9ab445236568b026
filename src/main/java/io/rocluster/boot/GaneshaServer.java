package io.rocluster.boot;

import io.rocluster.RoclusterException;
import io.rocluster.serving.GaneshaRenderer;
import io.rocluster.serving.Ipv4Range;
import io.rocluster.serving.NfsExport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private NFS-Ganesha (user space: this machine's kernel has no NFS server) serving NFSv4 on
 * 127.0.0.1:2049 from a generated configuration, for as long as a boot test runs. The guest's user-mode
 * network forwards its connections to the NFS server address to this loopback port.
 *
 * <p>Port 2049 is fixed because the image's kernel command line and statetab mounts use the default
 * port; in the boot test's own network namespace ({@link PrivateNetwork}) it is free even on a master whose
 * NFS server holds 2049. Everything Ganesha writes (config, log, pid, NFSv4 recovery state) stays in the work directory.
 */
public final class GaneshaServer implements AutoCloseable {

    /** The NFS port clients use without a {@code port=} option. */
    public static final int NFS_PORT = 2049;

    private static final String BINARY = "ganesha.nfsd";

    private final Process process;
    private final Path log;

    /** The process id, recorded so that a later boot test can stop this one if its owner was killed. */
    long pid() {
        return process.pid();
    }

    private GaneshaServer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Writes the configuration with the given EXPORT blocks and starts Ganesha, returning once it accepts
     * connections.
     *
     * @param exportBlocks EXPORT { … } blocks (Path, Pseudo, Access_Type …), one or more
     * @param workDir      an empty directory of the caller's; config, log and recovery state go there
     * @param startTimeout how long to wait for the port to open
     */
    public static GaneshaServer start(String exportBlocks, Path workDir, Duration startTimeout) throws IOException {
        return start(exportBlocks, workDir, startTimeout, PrivateNetwork.host());
    }

    /** The same in {@code network} (where 2049 is free when the network is the test's own). */
    static GaneshaServer start(String exportBlocks, Path workDir, Duration startTimeout, PrivateNetwork network)
            throws IOException {
        Path binary = Executables.find(BINARY).orElseThrow(() -> new RoclusterException(
                "NFS-Ganesha is not installed (no " + BINARY + " on PATH): apt-get install nfs-ganesha nfs-ganesha-vfs"));
        if (!network.isPrivate()) {
            requirePortFree();
        }
        Path conf = workDir.resolve("ganesha.conf");
        Path log = workDir.resolve("ganesha.log");
        Path recovery = Files.createDirectories(workDir.resolve("recovery"));
        Files.writeString(conf, coreConfig(recovery) + exportBlocks, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(network.wrap(List.of(binary.toString(), "-F", "-f", conf.toString(), "-L",
                log.toString(), "-p", workDir.resolve("ganesha.pid").toString(), "-N", "NIV_EVENT")))
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("ganesha.out").toFile())
                .start();
        GaneshaServer server = new GaneshaServer(p, log);
        try {
            server.awaitListening(startTimeout, network);
        } catch (RuntimeException | IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The server's own configuration: NFSv4 only, loopback only, no grace period, state kept aside. */
    static String coreConfig(Path recoveryRoot) {
        return """
                NFS_CORE_PARAM {
                    Protocols = 4;
                    NFS_Port = %d;
                    Bind_addr = 127.0.0.1;
                    Enable_NLM = false;
                    Enable_RQUOTA = false;
                }
                NFSv4 {
                    # A fresh server with no clients to reclaim: no 90 s grace period before opens work.
                    Graceless = true;
                    # Owners as numbers: the image's uids/gids mean nothing in the host's passwd, and a
                    # name makes the guest's kernel upcall to nfsidmap, which hung the boot (task blocked
                    # in nfs_map_name_to_uid).
                    Only_Numeric_Owners = true;
                    RecoveryBackend = fs;
                    RecoveryRoot = "%s";
                }
                NFS_KRB5 {
                    Active_krb5 = false;
                }
                """.formatted(NFS_PORT, recoveryRoot);
    }

    /**
     * The boot test's two exports, rendered by the same code as a master's production exports
     * ({@link GaneshaRenderer}): images read-only, state read-write. The guest's traffic reaches the server
     * through QEMU's user-mode NAT, so the only client address Ganesha sees is 127.0.0.1.
     */
    static String exports(Path images, String imagesPseudo, Path state, String statePseudo) {
        Ipv4Range loopback = Ipv4Range.parse("127.0.0.1/32");
        return GaneshaRenderer.render(List.of(
                new NfsExport(images.toString(), imagesPseudo, NfsExport.Access.RO, loopback),
                new NfsExport(state.toString(), statePseudo, NfsExport.Access.RW, loopback)), 1, 4);
    }

    private static void requirePortFree() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), NFS_PORT));
        } catch (IOException e) {
            throw new RoclusterException("127.0.0.1:" + NFS_PORT + " is in use (another NFS server or boot test is "
                    + "running): stop it (e.g. systemctl stop nfs-ganesha) and run boot-test again");
        }
    }

    private void awaitListening(Duration timeout, PrivateNetwork network) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new RoclusterException("NFS-Ganesha exited with status " + process.exitValue()
                        + " at start-up: " + lastLogLine() + " (log: " + log + ")");
            }
            if (network.listening(NFS_PORT)) {
                return;
            }
            sleep(200);
        }
        throw new RoclusterException("NFS-Ganesha did not open port " + NFS_PORT + " within " + timeout.toSeconds()
                + " s: " + lastLogLine() + " (log: " + log + ")");
    }

    private String lastLogLine() throws IOException {
        if (!Files.exists(log)) {
            return "no log written";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i);
            if (l.contains(":CRIT :") || l.contains(":FATAL :") || l.contains(":MAJ :")) {
                return l.substring(l.indexOf(']') + 1).strip();
            }
        }
        return lines.isEmpty() ? "empty log" : lines.get(lines.size() - 1);
    }

    /** The server's log file. */
    public Path log() {
        return log;
    }

    /** Whether the server is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server: SIGTERM, then SIGKILL if it lingers. Safe to call more than once. */
    @Override
    public void close() {
        Executables.stop(process, Duration.ofSeconds(10));
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoclusterException("interrupted while waiting for NFS-Ganesha to start");
        }
    }
}
