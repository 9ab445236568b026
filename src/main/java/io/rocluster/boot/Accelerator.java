package io.rocluster.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Chooses QEMU's accelerator. TCG always works; KVM is used only when it proves itself on this
 * machine: a guest started with the image's own kernel and no root must reach its "cannot mount root"
 * panic within {@link #PROBE_LIMIT} (a few seconds under KVM). On the project's build machine KVM exposes
 * /dev/kvm but the guest hangs, so the probe falls back to TCG there.
 *
 * <p>{@code ROCLUSTER_QEMU_ACCEL=tcg|kvm} skips the probe.
 *
 * @param name   {@code tcg} or {@code kvm}
 * @param reason why, for the verdict's facts
 */
public record Accelerator(String name, String reason) {

    static final Duration PROBE_LIMIT = Duration.ofSeconds(15);
    private static final Path KVM = Path.of("/dev/kvm");

    /** Picks an accelerator for booting {@code kernel}. */
    public static Accelerator choose(Path kernel, Path workDir) throws IOException {
        String forced = System.getenv("ROCLUSTER_QEMU_ACCEL");
        if (forced != null && !forced.isBlank()) {
            String name = forced.strip().toLowerCase(Locale.ROOT);
            if (!name.equals("tcg") && !name.equals("kvm")) {
                throw new io.rocluster.RoclusterException("ROCLUSTER_QEMU_ACCEL must be tcg or kvm, not '" + forced + "'");
            }
            return new Accelerator(name, "ROCLUSTER_QEMU_ACCEL=" + name);
        }
        if (!Files.isReadable(KVM) || !Files.isWritable(KVM)) {
            return new Accelerator("tcg", "no usable /dev/kvm");
        }
        return probeKvm(kernel, workDir) ? new Accelerator("kvm", "KVM booted the kernel in the probe")
                : new Accelerator("tcg", "KVM did not boot the kernel within " + PROBE_LIMIT.toSeconds() + " s in the probe");
    }

    private static boolean probeKvm(Path kernel, Path workDir) throws IOException {
        Path log = workDir.resolve("kvm-probe.log");
        Path binary = QemuMachine.binary();
        Process p = new ProcessBuilder(binary.toString(), "-machine", "pc", "-accel", "kvm", "-m", "256",
                "-nodefaults", "-display", "none", "-serial", "stdio", "-no-reboot",
                "-kernel", kernel.toString(), "-append", "console=ttyS0 panic=-1")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            // panic=-1 reboots at once, and -no-reboot turns that into an exit.
            boolean ended = p.waitFor(PROBE_LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return ended && Files.readString(log).contains("Kernel panic");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            Executables.stop(p, Duration.ofSeconds(5));
        }
    }
}
