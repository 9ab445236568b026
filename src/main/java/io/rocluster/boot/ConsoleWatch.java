package io.rocluster.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a guest's serial console line by line: how far the boot got, the line that proves each step
 * (kept as evidence for the verdict), the boot-check report, and the failures that end a boot early
 * (kernel panic, emergency shell, a PXE file that is not there) with the most telling error line
 * seen before them.
 *
 * <p>Fed from the thread that drains QEMU's output and read by the thread that waits for it, so every
 * method is synchronized.
 */
public final class ConsoleWatch {

    // CSI sequences (colours, cursor moves) and the other escapes firmware and systemd emit.
    private static final Pattern ESCAPES = Pattern.compile("\u001B(\\[[0-?]*[ -/]*[@-~]|[ -/]*[0-~])");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F]");

    private BootStage stage = BootStage.NOTHING;
    private final List<String> evidence = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private BootCheckReport report;
    private String garbledReport;
    private String fatal;
    private String lastLine = "";
    private boolean switchRootFailed;

    /** Strips terminal escapes and control characters from a raw console line. */
    public static String clean(String raw) {
        return CONTROL.matcher(ESCAPES.matcher(raw).replaceAll("")).replaceAll("").strip();
    }

    /**
     * Takes one raw console line. Callers split QEMU's output at CR as well as LF: firmware and systemd's
     * progress spinner move the cursor with CR and would otherwise make one endless line.
     */
    public synchronized void accept(String raw) {
        String line = clean(raw);
        if (line.isEmpty()) {
            return;
        }
        if (line.contains(BootCheckReport.MARKER.strip())) {
            try {
                BootCheckReport.parse(line).ifPresent(r -> {
                    report = r;
                    advance(BootStage.REPORTED, "ROCLUSTER-BOOTCHECK report received");
                });
            } catch (IllegalArgumentException e) {
                garbledReport = e.getMessage();
            }
            return;
        }
        lastLine = line;
        progress(line);
        failures(line);
    }

    private void progress(String line) {
        if (line.contains("SeaBIOS")) {
            advance(BootStage.FIRMWARE, line);
        }
        if (line.startsWith("Filename:") || line.startsWith("tftp://") || line.startsWith("Next server:")) {
            advance(BootStage.IPXE, line);
        }
        if (line.contains("PXELINUX")) {
            advance(BootStage.PXELINUX, line);
        }
        if (stage == BootStage.PXELINUX && line.startsWith("Loading ")) {
            keep(line);
        }
        if (line.contains("Linux version ")) {
            advance(BootStage.KERNEL, line);
        }
        if (line.contains("Command line: ")) {
            keep(line);
        }
        if (stage.compareTo(BootStage.KERNEL) >= 0 && line.contains("dracut")) {
            advance(BootStage.INITRAMFS, line);
        }
        if (line.contains("Reached target") && (line.contains("initrd-root-fs") || line.contains("Initrd Root File System"))) {
            advance(BootStage.ROOT_TARGET, line);
        }
        if (stage.compareTo(BootStage.ROOT_TARGET) >= 0 && line.startsWith("Welcome to ")) {
            advance(BootStage.SYSTEM, line);
        }
        if (line.contains("Reached target") && (line.contains("multi-user.target") || line.contains("Multi-User System"))) {
            advance(BootStage.MULTI_USER, line);
        }
        if (line.contains("rocluster-readonly:")) {
            keep(line);
        }
    }

    private void failures(String line) {
        if (line.contains("FATAL:") || line.contains("Could not boot") || (line.contains("initqueue") && line.contains("timeout"))
                || line.contains("[FAILED]") || line.contains("Failed to mount") || line.contains("mount.nfs")
                || line.contains("Could not find kernel image") || line.contains("Failed to load")
                || line.contains("No more network devices") || line.contains("PXE-E") || line.contains("VFS: Cannot")
                || line.contains("VFS: Unable")
                || line.contains("Connection timed out") || line.contains("No such file or directory")
                || line.contains("cannot mount")) {
            if (errors.size() < 20) {
                errors.add(line);
            }
        }
        if (line.contains("Failed to start initrd-switch-root")) {
            switchRootFailed = true;
        }
        if (fatal != null) {
            return;
        }
        if (line.contains("Kernel panic")) {
            fatal = "kernel panic: " + line.substring(line.indexOf("Kernel panic"));
        } else if (line.contains("Entering emergency mode") || line.contains("rdsosreport.txt")) {
            fatal = "emergency shell in the " + (stage.compareTo(BootStage.SYSTEM) >= 0 ? "booted system" : "initramfs")
                    + (switchRootFailed ? " after switch-root failed (nothing usable was mounted as the root)" : "");
        } else if (line.contains("No bootable device") || line.contains("No more network devices")) {
            fatal = "network boot failed in the firmware: " + line;
        } else if (line.contains("Could not find kernel image") || line.startsWith("boot:")) {
            fatal = "pxelinux could not load the kernel: " + line;
        }
    }

    private void advance(BootStage next, String line) {
        if (next.compareTo(stage) > 0) {
            stage = next;
            keep(line);
        }
    }

    private void keep(String line) {
        if (evidence.size() < 40 && !evidence.contains(line)) {
            evidence.add(line);
        }
    }

    /** The furthest point the boot reached. */
    public synchronized BootStage stage() {
        return stage;
    }

    /** The boot-check report, once it arrived. */
    public synchronized Optional<BootCheckReport> report() {
        return Optional.ofNullable(report);
    }

    /** Why the report line could not be read, if it could not. */
    public synchronized Optional<String> garbledReport() {
        return Optional.ofNullable(garbledReport);
    }

    /** A failure the boot cannot recover from (the guest is stuck or dead), once seen. */
    public synchronized Optional<String> fatal() {
        return Optional.ofNullable(fatal);
    }

    /** The lines that show each step (firmware, PXE, kernel command line, NFS root, multi-user). */
    public synchronized List<String> evidence() {
        return List.copyOf(evidence);
    }

    /** Error lines seen, oldest first (at most 20). */
    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    /** The last non-empty console line (where a stuck boot stands). */
    public synchronized String lastLine() {
        return lastLine;
    }

    /** The most telling error line seen: an explicit FATAL first, then a failed unit, else the first error. */
    public synchronized Optional<String> likelyCause() {
        return errors.stream().filter(l -> l.contains("FATAL:")).findFirst()
                .or(() -> errors.stream().filter(l -> l.contains("[FAILED]")).findFirst())
                .or(() -> errors.stream().findFirst());
    }
}
