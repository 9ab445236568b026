package io.rocluster.boot;

import io.rocluster.RoclusterException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One QEMU guest with its serial console on a pipe: every byte goes to a log file, every line to a
 * listener (a {@link ConsoleWatch}). The guest has no disk (a diskful one: one virtio disk), one virtio NIC on user-mode networking laid
 * out by {@link GuestNetwork}, and either boots from the network ({@code -boot n}: the NIC's iPXE ROM,
 * then QEMU's built-in TFTP) or is handed kernel and initramfs directly. {@code -no-reboot} turns a
 * reset into an exit, so a guest that powers off, reboots or triple-faults ends the process.
 */
public final class QemuMachine implements AutoCloseable {

    private static final String BINARY = "qemu-system-x86_64";

    private final Process process;
    private final Thread drain;
    private final Path stderr;

    /** The process id, recorded so that a later boot test can stop this one if its owner was killed. */
    long pid() {
        return process.pid();
    }

    private QemuMachine(Process process, Thread drain, Path stderr) {
        this.process = process;
        this.drain = drain;
        this.stderr = stderr;
    }

    /**
     * What to boot and how.
     *
     * @param mode       PXE or direct kernel
     * @param accel      {@code tcg} or {@code kvm}
     * @param network    guest network (the host at the image's NFS server address)
     * @param clientName the DHCP host name the guest gets (its FQDN)
     * @param tftpRoot   TFTP root for PXE (ignored for direct kernel)
     * @param bootFile   the file DHCP names for PXE, relative to the TFTP root
     * @param kernel     kernel for direct kernel boots
     * @param initrd     initramfs for direct kernel boots
     * @param append     kernel command line for direct kernel boots
     * @param memoryMiB  guest memory (the initramfs is unpacked into it)
     * @param cpus       virtual CPUs
     * @param disk       a raw disk image the guest sees as its local disk (virtio-blk), or null for none
     * @param mac        the NIC's MAC (a client's, for its own boot menu), or null for QEMU's default
     */
    public record Options(BootMode mode, String accel, GuestNetwork network, String clientName, Path tftpRoot,
            String bootFile, Path kernel, Path initrd, String append, int memoryMiB, int cpus, Path disk, String mac) {

        /** Options with QEMU's default MAC. */
        public Options(BootMode mode, String accel, GuestNetwork network, String clientName, Path tftpRoot,
                String bootFile, Path kernel, Path initrd, String append, int memoryMiB, int cpus, Path disk) {
            this(mode, accel, network, clientName, tftpRoot, bootFile, kernel, initrd, append, memoryMiB, cpus, disk, null);
        }
    }

    /** The command line for these options (QEMU's binary first). */
    static List<String> command(Path binary, Options o) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                "-machine", "pc,graphics=off",
                "-accel", o.accel(),
                "-m", Integer.toString(o.memoryMiB()),
                "-smp", Integer.toString(o.cpus()),
                "-nodefaults", "-display", "none",
                "-serial", "stdio",
                "-no-reboot"));
        if ("tcg".equals(o.accel())) {
            // QEMU's default qemu64 CPU advertises AMD-V, so the guest's udev loads kvm_amd and kvm; under
            // TCG that module load alone stalled a CPU for over 20 s (soft lockup in module_alloc) and
            // held up the read-only root service behind it. A boot test has no use for nested virtualisation.
            cmd.addAll(List.of("-cpu", "qemu64,-svm,-vmx"));
        }
        GuestNetwork n = o.network();
        StringBuilder netdev = new StringBuilder("user,id=net0")
                .append(",net=").append(n.network())
                .append(",host=").append(n.host())
                .append(",dhcpstart=").append(n.dhcpStart())
                .append(",dns=").append(n.dns())
                .append(",hostname=").append(o.clientName());
        if (o.mode() == BootMode.PXE) {
            netdev.append(",tftp=").append(o.tftpRoot()).append(",bootfile=").append(o.bootFile());
        }
        cmd.addAll(List.of("-netdev", netdev.toString(),
                "-device", "virtio-net-pci,netdev=net0" + (o.mac() == null ? "" : ",mac=" + o.mac())));
        if (o.disk() != null) {
            // virtio-blk: Debian's and EL7's kernels have its driver (virtio_blk) and a generic initramfs carries it.
            // The firmware still boots from the NIC first (-boot n), as a diskful client's does.
            cmd.addAll(List.of("-drive", "file=" + o.disk() + ",format=raw,if=none,id=disk0,cache=writeback",
                    "-device", "virtio-blk-pci,drive=disk0"));
        }
        if (o.mode() == BootMode.PXE) {
            cmd.addAll(List.of("-boot", "n"));
        } else {
            cmd.addAll(List.of("-kernel", o.kernel().toString(), "-initrd", o.initrd().toString(),
                    "-append", o.append()));
        }
        return cmd;
    }

    /**
     * Starts the guest.
     *
     * @param consoleLog where the raw serial console is written
     * @param lines      receives each console line as it arrives (on a background thread)
     */
    public static QemuMachine start(Options options, Path consoleLog, Consumer<String> lines) throws IOException {
        return start(options, consoleLog, lines, PrivateNetwork.host());
    }

    /** The same in {@code network}: the guest's NAT reaches that network's loopback. */
    static QemuMachine start(Options options, Path consoleLog, Consumer<String> lines, PrivateNetwork network)
            throws IOException {
        Path binary = binary();
        Path stderr = consoleLog.resolveSibling(consoleLog.getFileName() + ".qemu-stderr");
        Process p = new ProcessBuilder(network.wrap(command(binary, options)))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectError(stderr.toFile())
                .start();
        OutputStream log = Files.newOutputStream(consoleLog);
        Thread drain = new Thread(() -> copyLines(p.getInputStream(), log, lines), "qemu-console");
        drain.setDaemon(true);
        drain.start();
        return new QemuMachine(p, drain, stderr);
    }

    /** The QEMU binary, or a one-line error naming the package. */
    static Path binary() {
        return Executables.find(BINARY).orElseThrow(() -> new RoclusterException(
                "QEMU is not installed (no " + BINARY + " on PATH): apt-get install qemu-system-x86 ipxe-qemu"));
    }

    private static void copyLines(InputStream in, OutputStream log, Consumer<String> lines) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (in; log) {
            int n;
            while ((n = in.read(buf)) > 0) {
                log.write(buf, 0, n);
                log.flush();
                for (int i = 0; i < n; i++) {
                    // CR ends a line too (see ConsoleWatch#accept); the empty lines of CR LF are dropped.
                    if (buf[i] == '\n' || buf[i] == '\r') {
                        if (line.size() > 0) {
                            lines.accept(line.toString(StandardCharsets.UTF_8));
                        }
                        line.reset();
                    } else {
                        line.write(buf[i]);
                    }
                }
            }
            if (line.size() > 0) {
                lines.accept(line.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException closed) {
            // The process went away (or was killed): what was read is in the log.
        }
    }

    /** Waits up to {@code timeout} for the guest to end; true when it did. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Whether QEMU is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** QEMU's exit status (only once it ended). */
    public int exitValue() {
        return process.exitValue();
    }

    /** What QEMU itself wrote to stderr (bad options, missing ROMs), trimmed. */
    public String stderr() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Kills the guest if it still runs and waits for the console to be drained. */
    @Override
    public void close() {
        Executables.stop(process, Duration.ofSeconds(5));
        try {
            drain.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
