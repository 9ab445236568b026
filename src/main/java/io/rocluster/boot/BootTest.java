package io.rocluster.boot;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.artefact.InitramfsCheck;
import io.rocluster.serving.PxeLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Boots one version in QEMU against a private NFS-Ganesha and judges it: the boot-test runtime.
 *
 * <p>Starts the server (images read-only, state read-write, at the NFSv4 paths the image names), builds a
 * private TFTP root of symlinks (never the master's live tftpboot), boots the guest through iPXE and
 * pxelinux (or directly), watches the serial console until the image's boot check reports and powers off,
 * then checks from the host that the client's statetab writes reached its state directory.
 *
 * <p>Whatever happens (pass, failure, timeout, exception, Ctrl-C), the guest and the server are stopped and
 * the work directory is removed ({@link BootWorkspace}).
 */
public final class BootTest {

    /** After its report the guest powers itself off; past this it is stopped (its writes are already flushed). */
    static final Duration POWER_OFF_GRACE = Duration.ofSeconds(150);
    private static final Duration SERVER_START = Duration.ofSeconds(30);
    private static final int MEMORY_MIB = 1536;

    private final Consumer<String> progress;

    /** @param progress receives one line per step, for the user (may ignore them) */
    public BootTest(Consumer<String> progress) {
        this.progress = progress;
    }

    /** Runs the test. Failures of the image are a verdict; failures of this machine are exceptions. */
    public BootVerdict run(BootTestRequest req) throws IOException {
        requireDirectory(req.imagesDir(), "images directory");
        requireDirectory(req.clientStateDir(), "state directory of " + req.clientName());
        requireFile(req.kernel(), "kernel");
        requireFile(req.initrd(), "initramfs");
        GuestNetwork network = GuestNetwork.around(req.serverAddress());
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long t0 = System.nanoTime();

        try (BootWorkspace ws = new BootWorkspace()) {
            List<String> initramfsProblems = initramfsProblems(req);
            if (!initramfsProblems.isEmpty()) {
                progress.accept("initramfs check: " + String.join("; ", initramfsProblems) + " (booting it anyway)");
            }
            Accelerator accel = Accelerator.choose(req.kernel(), ws.dir);
            progress.accept("accelerator: " + accel.name() + " (" + accel.reason() + ")");

            Path ganeshaDir = Files.createDirectories(ws.dir.resolve("ganesha"));
            String exports = GaneshaServer.exports(req.imagesDir().toRealPath(), req.imagesPseudo(),
                    req.stateDir().toRealPath(), req.statePseudo());
            ws.server(GaneshaServer.start(exports, ganeshaDir, SERVER_START));
            progress.accept("NFS-Ganesha: " + req.imagesPseudo() + " (ro) and " + req.statePseudo()
                    + " (rw) on 127.0.0.1:" + GaneshaServer.NFS_PORT + ", reached by the guest at " + network.host());

            Path tftp = req.mode() == BootMode.PXE ? tftpRoot(ws.dir.resolve("tftp"), req) : null;
            QemuMachine.Options options = new QemuMachine.Options(req.mode(), accel.name(), network, req.clientName(),
                    tftp, PxeLoader.BOOT_FILE, req.kernel(), req.initrd(), req.kernelCmdline(), MEMORY_MIB, 2);
            Path log = ws.dir.resolve("console.log");
            ConsoleWatch console = new ConsoleWatch();
            long qemuStart = System.nanoTime();
            QemuMachine guest = QemuMachine.start(options, log, console::accept);
            ws.guest(guest);
            progress.accept("QEMU: booting " + req.version() + " by " + req.mode().label() + " as " + req.clientName()
                    + " (console: " + req.consoleLog() + ")");

            BootJudge.Ending ending = watch(guest, console, req.timeout(), qemuStart);
            // The host checks the state directory only once nothing can write to it any more.
            ws.stopAll();

            String kept = keepLog(log, req.consoleLog());
            long duration = Math.round((System.nanoTime() - t0) / 1e9);
            return BootJudge.judge(req, console, ending, accel, started.toString(), duration, kept, initramfsProblems);
        }
    }

    /**
     * What the initramfs lacks to mount an NFS root, read from the image itself (dracut's module list, the
     * nfsroot hook, nfs.ko): says why a boot stops in the initramfs better than its console does.
     */
    private static List<String> initramfsProblems(BootTestRequest req) {
        try {
            return InitramfsCheck.check(req.initrd(), req.kernelVersion(), List.of()).stream()
                    .filter(r -> !r.ok())
                    .filter(r -> !req.kernelVersion().isEmpty() || !r.what().startsWith("nfs.ko"))
                    .map(InitramfsCheck.Result::detail)
                    .toList();
        } catch (IOException | RuntimeException e) {
            return List.of("initramfs unreadable: " + e.getMessage());
        }
    }

    private BootJudge.Ending watch(QemuMachine qemu, ConsoleWatch console, Duration timeout, long qemuStart)
            throws IOException {
        long deadline = qemuStart + timeout.toNanos();
        BootStage shown = BootStage.NOTHING;
        Long reportedAt = null;
        try {
            while (true) {
                if (qemu.waitFor(Duration.ofMillis(500))) {
                    long secs = seconds(reportedAt != null ? reportedAt : System.nanoTime(), qemuStart);
                    return new BootJudge.Ending(false, true, qemu.exitValue(), qemu.stderr(), secs);
                }
                BootStage now = console.stage();
                if (now != shown) {
                    shown = now;
                    progress.accept("  " + seconds(System.nanoTime(), qemuStart) + " s: " + now.description());
                }
                if (reportedAt == null && console.report().isPresent()) {
                    reportedAt = System.nanoTime();
                    deadline = reportedAt + POWER_OFF_GRACE.toNanos();
                }
                if (reportedAt == null && console.fatal().isPresent()) {
                    // Give the console a moment to show the lines after the failure, then stop.
                    qemu.waitFor(Duration.ofSeconds(3));
                    return new BootJudge.Ending(false, false, null, qemu.stderr(), seconds(System.nanoTime(), qemuStart));
                }
                if (System.nanoTime() > deadline) {
                    if (reportedAt != null) {
                        progress.accept("  the guest did not power off within " + POWER_OFF_GRACE.toSeconds()
                                + " s of its report: stopping it");
                        return new BootJudge.Ending(false, false, null, qemu.stderr(), seconds(reportedAt, qemuStart));
                    }
                    return new BootJudge.Ending(true, false, null, qemu.stderr(), seconds(System.nanoTime(), qemuStart));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoclusterException("boot test interrupted");
        }
    }

    private static long seconds(long end, long start) {
        return Math.round((end - start) / 1e9);
    }

    /**
     * A private TFTP root: symlinks to the caller's files (loader, modules, kernel, initramfs) and the config
     * under test in pxelinux.cfg/default.
     */
    static Path tftpRoot(Path dir, BootTestRequest req) throws IOException {
        Files.createDirectories(dir);
        Map<String, Path> files = new java.util.LinkedHashMap<>(req.tftpFiles());
        if (!files.containsKey(PxeLoader.BOOT_FILE)) {
            // No loader from the caller (a master without one in its tftpboot): the host's packages.
            PxeLoader.HOST.menuFiles().forEach(files::putIfAbsent);
        }
        for (Map.Entry<String, Path> e : files.entrySet()) {
            Path link = dir.resolve(e.getKey()).normalize();
            if (!link.startsWith(dir)) {
                throw new IllegalArgumentException("TFTP path outside the root: " + e.getKey());
            }
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, e.getValue().toAbsolutePath());
        }
        Path cfg = Files.createDirectories(dir.resolve("pxelinux.cfg")).resolve("default");
        Files.writeString(cfg, req.pxelinuxConfig());
        return dir;
    }

    private static String keepLog(Path log, Path dest) throws IOException {
        if (dest == null || !Files.exists(log)) {
            return log.toString();
        }
        // Beside the verdict, so written the same way: whole or not at all.
        Durable.writeBytes(dest, Files.readAllBytes(log));
        return dest.toString();
    }

    private static void requireDirectory(Path p, String what) {
        if (!Files.isDirectory(p)) {
            throw new RoclusterException(what + " " + p + " does not exist");
        }
    }

    private static void requireFile(Path p, String what) {
        if (!Files.isRegularFile(p)) {
            throw new RoclusterException(what + " " + p + " does not exist: is the version fully deployed?");
        }
    }
}
