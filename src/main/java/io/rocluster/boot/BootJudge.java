package io.rocluster.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns what a boot test saw into a verdict. The guest's report says what it saw from inside; the
 * statetab markers are checked on the host after the guest is gone, so "persisted" means the client's
 * writes really reached {@code state/<fqdn>/} on the master. A diskful test's boots are judged by
 * {@link DiskfulJudge}, on the checks here that every boot shares.
 */
final class BootJudge {

    static final int MAX_STATE_FILES = 200;

    /**
     * How the guest ended.
     *
     * @param timedOut    no report within the timeout
     * @param poweredOff  QEMU exited by itself (power-off, or a reset under -no-reboot)
     * @param qemuStatus  QEMU's exit status, when it exited by itself
     * @param qemuStderr  what QEMU printed on stderr
     * @param bootSeconds from QEMU start to the report (or the end)
     */
    record Ending(boolean timedOut, boolean poweredOff, Integer qemuStatus, String qemuStderr, long bootSeconds) {}

    private BootJudge() {}

    /**
     * The checks every boot passes whatever its state area, and the rwtab paths sorted by outcome.
     *
     * @param failures what failed (one entry per check)
     * @param rwOk     rwtab paths a write succeeded in
     * @param rwBad    rwtab paths a write failed in
     * @param rwLinks  rwtab paths that are symlinks in the image
     */
    record Common(List<String> failures, List<String> rwOk, List<String> rwBad, List<String> rwLinks) {}

    /**
     * Judges what every boot must show: a report with this boot's token from the client named, multi-user
     * reached, no failed unit, the NFS root of this version read-only, every rwtab path writable. Without a
     * report, the one failure says how far the boot got and why it likely stopped.
     */
    static Common common(BootTestRequest req, ConsoleWatch console, Ending ending, List<String> initramfsProblems) {
        List<String> failures = new ArrayList<>();
        List<String> rwOk = new ArrayList<>();
        List<String> rwBad = new ArrayList<>();
        List<String> rwLinks = new ArrayList<>();
        Optional<BootCheckReport> maybeReport = console.report();
        if (maybeReport.isEmpty()) {
            failures.add(noReport(req, console, ending, initramfsProblems));
            return new Common(failures, rwOk, rwBad, rwLinks);
        }
        BootCheckReport r = maybeReport.get();
        if (!r.token().equals(req.token())) {
            failures.add("the report carries token '" + r.token() + "', not this test's: the console belongs to another boot");
        }
        if (!r.hostname().equals(req.clientName())) {
            failures.add("the guest calls itself '" + r.hostname() + "', not " + req.clientName()
                    + " (the DHCP host name did not reach it: is /etc/hostname in the image non-empty?)");
        }
        if (!r.multiUser()) {
            failures.add("multi-user.target not reached (system state " + r.systemState()
                    + (r.pendingJobs().isEmpty() ? "" : ", waiting for " + String.join(", ", r.pendingJobs())) + ")");
        }
        if (!r.failedUnits().isEmpty()) {
            failures.add("failed units: " + String.join(", ", r.failedUnits()));
        } else if (r.multiUser() && !r.systemState().equals("running")) {
            failures.add("system state is " + r.systemState() + ", not running"
                    + (r.pendingJobs().isEmpty() ? "" : " (waiting for " + String.join(", ", r.pendingJobs()) + ")"));
        }
        BootCheckReport.Root root = r.root();
        if (!root.fstype().startsWith("nfs")) {
            failures.add("/ is " + root.fstype() + " from " + root.source() + ", not NFS");
        } else if (!root.source().endsWith(":" + req.imagesPseudo() + "/" + req.version() + "/root")) {
            failures.add("/ comes from " + root.source() + ", not from " + req.imagesPseudo() + "/" + req.version() + "/root");
        }
        if (!root.readOnly() || !root.writeRefused()) {
            failures.add("/ is writable (mount options " + root.options() + "): the root must be read-only");
        }
        for (BootCheckReport.RwPath p : r.rwtab()) {
            if (p.symlink()) {
                rwLinks.add(p.path());
            } else {
                (p.writable() ? rwOk : rwBad).add(p.path());
            }
        }
        if (rwOk.isEmpty() && rwBad.isEmpty()) {
            failures.add("no rwtab path exists in the image: nothing is writable (rwtab in the spec)");
        } else if (!rwBad.isEmpty()) {
            failures.add("rwtab paths not writable: " + String.join(", ", rwBad));
        }
        return new Common(failures, rwOk, rwBad, rwLinks);
    }

    /** Judges one diskless boot; {@code startedAt}/{@code durationSeconds} are filled in by the caller. */
    static BootVerdict judge(BootTestRequest req, ConsoleWatch console, Ending ending, Accelerator accel,
            String startedAt, long durationSeconds, String keptLog, List<String> initramfsProblems) {
        Common c = common(req, console, ending, initramfsProblems);
        List<String> failures = new ArrayList<>(c.failures());
        List<String> stOk = new ArrayList<>();
        List<String> stBad = new ArrayList<>();
        Path clientState = req.clientStateDir();
        Optional<BootCheckReport> maybeReport = console.report();
        if (maybeReport.isPresent()) {
            BootCheckReport r = maybeReport.get();
            for (BootCheckReport.StatePath p : r.statetab()) {
                if (p.mounted() && persisted(clientState, p, req.token())) {
                    stOk.add(p.path());
                } else {
                    stBad.add(p.path());
                }
            }
            if (r.statetab().isEmpty()) {
                failures.add("no statetab path exists in the image: nothing persists in " + clientState
                        + " (statetab in the spec)");
            } else if (!stBad.isEmpty()) {
                failures.add("statetab paths not persisted in " + clientState + ": " + String.join(", ", stBad)
                        + " (is CLIENTSTATE in /etc/sysconfig/readonly-root right?)");
            }
        }

        boolean passed = failures.isEmpty();
        String reason = passed
                ? "booted " + req.version() + " by " + req.mode().label() + ": NFS root read-only, multi-user, no failed units, "
                        + c.rwOk().size() + " rwtab paths writable, " + stOk.size() + " statetab paths persisted in "
                        + clientState
                : String.join("; ", failures);
        BootVerdict.Facts facts = facts(req, console, ending, accel, c, stOk, stBad, clientState.toString(),
                listFiles(clientState), keptLog, initramfsProblems);
        return new BootVerdict(req.version(), passed, reason, req.mode().label(), startedAt, durationSeconds, facts);
    }

    /** The facts of one boot, from its console and the host's checks. */
    static BootVerdict.Facts facts(BootTestRequest req, ConsoleWatch console, Ending ending, Accelerator accel, Common c,
            List<String> stOk, List<String> stBad, String stateDirectory, List<String> stateFiles, String keptLog,
            List<String> initramfsProblems) {
        BootCheckReport r = console.report().orElse(null);
        return new BootVerdict.Facts(
                req.clientName(),
                accel.name() + " (" + accel.reason() + ")",
                console.stage().description(),
                ending.bootSeconds(),
                ending.poweredOff(),
                r == null ? null : r.hostname(),
                r == null ? null : r.systemState(),
                r == null ? null : r.multiUser(),
                r == null ? null : r.failedUnits(),
                r == null ? null : r.pendingJobs(),
                r == null ? null : r.root(),
                c.rwOk(), c.rwBad(), c.rwLinks(), stOk, stBad,
                stateDirectory,
                stateFiles,
                console.evidence(),
                console.errors(),
                initramfsProblems,
                keptLog);
    }

    private static String noReport(BootTestRequest req, ConsoleWatch console, Ending ending,
            List<String> initramfsProblems) {
        StringBuilder b = new StringBuilder();
        Optional<String> fatal = console.fatal();
        if (fatal.isPresent()) {
            b.append(fatal.get());
        } else if (ending.timedOut()) {
            b.append("no boot-check report within ").append(req.timeout().toSeconds()).append(" s");
        } else if (ending.poweredOff()) {
            b.append("the guest stopped (QEMU exit status ").append(ending.qemuStatus()).append(") without a boot-check report");
            if (!ending.qemuStderr().isEmpty()) {
                b.append(": ").append(ending.qemuStderr().lines().reduce((a, c) -> c).orElse(""));
            }
        } else {
            b.append("no boot-check report");
        }
        console.garbledReport().ifPresent(g -> b.append("; ").append(g));
        b.append("; got as far as: ").append(console.stage().description());
        Optional<String> cause = console.likelyCause();
        cause.ifPresent(c -> b.append("; last error: ").append(c));
        BootStage stage = console.stage();
        if (stage.compareTo(BootStage.KERNEL) >= 0 && stage.compareTo(BootStage.SYSTEM) < 0) {
            if (!initramfsProblems.isEmpty()) {
                b.append("; the initramfs cannot mount an NFS root: ").append(String.join("; ", initramfsProblems))
                        .append(" (dracut's nfs module: spec initramfs.modules)");
            } else {
                b.append(" (the initramfs did not mount the NFS root: check the NIC driver, the server address and the"
                        + " export)");
            }
        } else if (stage == BootStage.SYSTEM) {
            b.append(" (the system did not reach multi-user.target)");
        } else if (stage == BootStage.MULTI_USER) {
            b.append(" (is rocluster-bootcheck.service in the image? it comes from stages/common/files)");
        }
        if (ending.timedOut() && !console.lastLine().isEmpty()) {
            b.append("; last console line: ").append(console.lastLine());
        }
        return b.toString();
    }

    private static boolean persisted(Path clientState, BootCheckReport.StatePath p, String token) {
        if (p.marker().isEmpty()) {
            // A plain file in statetab: being bound from the state area is all the guest can show.
            return Files.exists(clientState.resolve(relative(p.path())));
        }
        Path marker = clientState.resolve(relative(p.marker()));
        try {
            return Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(token);
        } catch (IOException e) {
            return false;
        }
    }

    private static String relative(String absolute) {
        String s = absolute;
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        // Never let a reported path leave the client's directory.
        if (s.equals("..") || s.startsWith("../") || s.contains("/../") || s.endsWith("/..")) {
            return ".invalid";
        }
        return s;
    }

    private static List<String> listFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !Files.isDirectory(p))
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .limit(MAX_STATE_FILES)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
