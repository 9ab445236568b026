package io.rocluster.boot;

import io.rocluster.RoclusterException;
import io.rocluster.archive.Durable;
import io.rocluster.artefact.InitramfsCheck;
import io.rocluster.readonly.DiskLayout;
import io.rocluster.serving.PxeLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Boots one version in QEMU against a private NFS-Ganesha and judges it: the boot-test runtime.
 *
 * <p>Starts the server (images read-only, state read-write, at the NFSv4 paths the image names), builds a
 * private TFTP root of symlinks (never the master's live tftpboot), boots the guest through iPXE and
 * pxelinux (or directly), watches the serial console until the image's boot check reports and powers off,
 * then checks from the host that the client's statetab writes reached its state directory. A diskful image
 * boots twice on a local disk the test makes ({@link GuestDisk}), judged by {@link DiskfulJudge}.
 *
 * <p>Whatever happens (pass, failure, timeout, exception, Ctrl-C), the guest and the server are stopped and
 * the work directory is removed ({@link BootWorkspace}).
 */
public final class BootTest {

    /** After its report the guest powers itself off; past this it is stopped (its writes are already flushed). */
    static final Duration POWER_OFF_GRACE = Duration.ofSeconds(150);
    private static final Duration SERVER_START = Duration.ofSeconds(30);
    private static final int MEMORY_MIB = 1536;
    /** A diskful client boots on a fresh disk, then reboots on it: the RW area must be wiped, the state kept. */
    static final int DISKFUL_BOOTS = 2;
    /** The driver of the disk QEMU gives a diskful guest (virtio-blk). */
    static final String DISK_DRIVER = "virtio_blk";

    private final Consumer<String> progress;

    /** @param progress receives one line per step, for the user (may ignore them) */
    public BootTest(Consumer<String> progress) {
        this.progress = progress;
    }

    /** Runs the test. Failures of the image are a verdict; failures of this machine are exceptions. */
    public BootVerdict run(BootTestRequest req) throws IOException {
        requireDirectory(req.imagesDir(), "images directory");
        if (!req.diskful()) {
            requireDirectory(req.clientStateDir(), "state directory of " + req.clientName());
        }
        requireFile(req.kernel(), "kernel");
        requireFile(req.initrd(), "initramfs");
        GuestNetwork network = GuestNetwork.around(req.serverAddress());
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long t0 = System.nanoTime();

        for (String line : BootWorkspace.stopOrphans(Path.of(System.getProperty("java.io.tmpdir")))) {
            progress.accept("stopped " + line);
        }
        try (BootWorkspace ws = new BootWorkspace()) {
            List<String> initramfsProblems = initramfsProblems(req);
            if (!initramfsProblems.isEmpty()) {
                progress.accept("initramfs check: " + String.join("; ", initramfsProblems) + " (booting it anyway)");
            }
            Accelerator accel = Accelerator.choose(req.kernel(), ws.dir);
            progress.accept("accelerator: " + accel.name() + " (" + accel.reason() + ")");

            PrivateNetwork net = PrivateNetwork.create(progress);
            ws.network(net);
            Path ganeshaDir = Files.createDirectories(ws.dir.resolve("ganesha"));
            String exports = GaneshaServer.exports(req.imagesDir().toRealPath(), req.imagesPseudo(),
                    req.stateDir().toRealPath(), req.statePseudo());
            ws.server(GaneshaServer.start(exports, ganeshaDir, SERVER_START, net));
            progress.accept("NFS-Ganesha: " + req.imagesPseudo() + " (ro) and " + req.statePseudo()
                    + " (rw) on 127.0.0.1:" + GaneshaServer.NFS_PORT + (net.isPrivate() ? " of the test's own network "
                    + "namespace" : "") + ", reached by the guest at " + network.host());
            Machine machine = new Machine(ws, accel, network, net);
            if (req.diskful()) {
                return diskful(req, machine, started, t0, initramfsProblems);
            }

            Booted b = boot(machine, req, ws.dir.resolve("console.log"), null);
            // The host checks the state directory only once nothing can write to it any more.
            ws.stopAll();

            String kept = keepLog(b.log(), req.consoleLog());
            long duration = Math.round((System.nanoTime() - t0) / 1e9);
            return BootJudge.judge(req, b.console(), b.ending(), accel, started.toString(), duration, kept, initramfsProblems);
        }
    }

    /**
     * What every boot of one test shares: the workspace (with its server), the accelerator, the guest network
     * and the network namespace the server and the guest run in.
     */
    private record Machine(BootWorkspace ws, Accelerator accel, GuestNetwork network, PrivateNetwork net) {}

    /** One boot's console and how it ended. */
    private record Booted(ConsoleWatch console, BootJudge.Ending ending, Path log) {}

    /** Starts the guest for {@code req} (its token, its menu), watches it to its end and stops it. */
    private Booted boot(Machine m, BootTestRequest req, Path log, Path disk) throws IOException {
        Path tftp = req.mode() == BootMode.PXE ? tftpRoot(m.ws().dir.resolve("tftp"), req) : null;
        QemuMachine.Options options = new QemuMachine.Options(req.mode(), m.accel().name(), m.network(), req.clientName(),
                tftp, PxeLoader.BOOT_FILE, req.kernel(), req.initrd(), req.kernelCmdline(), MEMORY_MIB, 2, disk, req.mac());
        ConsoleWatch console = new ConsoleWatch();
        long qemuStart = System.nanoTime();
        QemuMachine guest = QemuMachine.start(options, log, console::accept, m.net());
        m.ws().guest(guest);
        progress.accept("QEMU: booting " + req.version() + " by " + req.mode().label() + " as " + req.clientName()
                + (disk == null ? "" : " with its local disk") + " (console: " + req.consoleLog() + ")");
        BootJudge.Ending ending = watch(guest, console, req.timeout(), qemuStart);
        guest.close();
        return new Booted(console, ending, log);
    }

    /**
     * A diskful client: boots twice on one local disk made to the spec's layout, judging each boot as soon as the
     * guest is off (the host then reads the disk), and checks that the client left its directory on the master
     * alone. The second boot is skipped when the first did not report: it would show nothing more.
     */
    private BootVerdict diskful(BootTestRequest first, Machine m, Instant started, long t0, List<String> initramfsProblems)
            throws IOException {
        GuestDisk disk = GuestDisk.create(m.ws().dir.resolve("disk.img"), first.disk());
        progress.accept("local disk: " + first.disk().partitions().stream()
                .map(p -> "partition " + p.number() + " ext4 '" + p.label() + "' (" + p.sizeBytes() / DiskLayout.MIB + " MiB)")
                .reduce((a, b) -> a + ", " + b).orElse("") + " in " + disk.file);
        Map<String, String> masterBefore = DiskfulJudge.snapshot(first.clientStateDir());
        List<BootVerdict.DiskBoot> boots = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        BootVerdict.DiskBoot previous = null;
        for (int n = 1; n <= DISKFUL_BOOTS; n++) {
            BootTestRequest req = n == 1 ? first : first.withToken(first.token() + "-" + n);
            progress.accept("boot " + n + " of " + DISKFUL_BOOTS + " on the local disk");
            Booted b = boot(m, req, m.ws().dir.resolve("console-" + n + ".log"), disk.file);
            logs.add(b.log());
            previous = DiskfulJudge.boot(req, n, b.console(), b.ending(), m.accel(), disk, previous,
                    first.consoleLog() == null ? b.log().toString() : first.consoleLog().toString(), initramfsProblems);
            boots.add(previous);
            progress.accept("  boot " + n + ": " + (previous.passed() ? "passed" : "FAILED") + ": " + previous.reason());
            if (b.console().report().isEmpty()) {
                break;
            }
        }
        m.ws().stopAll();
        Map<String, String> masterAfter = DiskfulJudge.snapshot(first.clientStateDir());
        keepLogs(logs, m.ws().dir.resolve("console.log"), first.consoleLog());
        long duration = Math.round((System.nanoTime() - t0) / 1e9);
        return DiskfulJudge.verdict(first, boots, DiskfulJudge.masterState(first.clientStateDir(), masterBefore, masterAfter),
                DISKFUL_BOOTS, started.toString(), duration);
    }

    /**
     * What the initramfs lacks to mount an NFS root, read from the image itself (dracut's module list, the
     * nfsroot hook, nfs.ko): says why a boot stops in the initramfs better than its console does.
     */
    private static List<String> initramfsProblems(BootTestRequest req) {
        try {
            // A diskful guest's disk must be there when readonly-root looks for its labels, early after switch-root:
            // its driver belongs in the initramfs, whose udev loads it.
            List<String> drivers = req.diskful() && !req.kernelVersion().isEmpty() ? List.of(DISK_DRIVER) : List.of();
            return InitramfsCheck.check(req.initrd(), req.kernelVersion(), drivers).stream()
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
     * under test in pxelinux.cfg/default (and a client's own, by MAC, where the request has one).
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
            // A reboot of a diskful test lays the root out again, with only the menu changed.
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, e.getValue().toAbsolutePath());
        }
        Path cfgs = Files.createDirectories(dir.resolve("pxelinux.cfg"));
        Files.writeString(cfgs.resolve("default"), req.pxelinuxConfig());
        for (Map.Entry<String, String> c : req.clientConfigs().entrySet()) {
            Path cfg = cfgs.resolve(c.getKey()).normalize();
            if (!cfg.getParent().equals(cfgs)) {
                throw new IllegalArgumentException("pxelinux config name with a directory: " + c.getKey());
            }
            Files.writeString(cfg, c.getValue());
        }
        return dir;
    }

    /** The consoles of several boots, one after the other with a line before each, kept as one log. */
    private static void keepLogs(List<Path> logs, Path joined, Path dest) throws IOException {
        try (var out = Files.newOutputStream(joined)) {
            for (int i = 0; i < logs.size(); i++) {
                out.write(("==== rocluster boot-test: console of boot " + (i + 1) + " ====\n").getBytes(StandardCharsets.UTF_8));
                if (Files.exists(logs.get(i))) {
                    Files.copy(logs.get(i), out);
                }
            }
        }
        keepLog(joined, dest);
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
