package io.rocluster.build;

import io.rocluster.RoclusterException;
import io.rocluster.readonly.RootRelease;
import io.rocluster.spec.ImageSpec;
import io.rocluster.spec.SpecLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code rocluster apply}: the build's readonly stage on a root directory someone already has (a client built
 * by hand, an unpacked image), offline and without Docker. It is the stage itself, not a second
 * implementation: the same {@link StageInput} ({@link Stages#readonly()}: rendered files, static trees, plan,
 * script) is extracted into a temporary directory and its script, {@code stages/readonly-plan.sh}, runs on
 * the host with {@code ROOT} pointing at the directory, exactly as it runs in the builder on
 * {@code /build/root}. The script resolves every path inside the root, changes only what differs and reports
 * each change, so a second run reports nothing to change and {@code --dry-run} lists what a run would do.
 *
 * <p>Checked before anything is written: the root is a directory other than {@code /}, its release files say
 * it is the spec's distribution, and (unless dry-running) rocluster runs as root, since the files it
 * installs must be owned by root.
 */
public final class ApplyService {

    private static final String PREFIX = "readonly: ";

    /**
     * What a run did (or, dry-running, would do).
     *
     * @param root    the root directory, as given
     * @param release its distribution
     * @param changes one line per change, e.g. {@code remove /etc/hostname}
     * @param dryRun  whether nothing was written
     */
    public record Result(Path root, RootRelease release, List<String> changes, boolean dryRun) {
        public Result {
            changes = List.copyOf(changes);
        }
    }

    /**
     * Applies the read-only configuration of spec file {@code specFile} to {@code root}.
     *
     * @param lines receives the report, line by line, as it runs: the root's distribution, then the stage's
     *              changes ("would …" when dry-running), notes such as a unit the image lacks, and the count
     *              ("nothing to change" on a second run)
     */
    public Result apply(Path specFile, Path root, boolean dryRun, Consumer<String> lines) throws IOException {
        ImageSpec spec = SpecLoader.load(specFile);
        if (!Files.isDirectory(root)) {
            throw new RoclusterException("--root " + root + " is not a directory: give the client's root directory");
        }
        if (root.toRealPath().getNameCount() == 0) {
            throw new RoclusterException("--root " + root + " is this machine's own root: apply works on a client's"
                    + " root directory (an NFS export, an unpacked image), never on the running system");
        }
        RootRelease release = RootRelease.read(root);
        if (!release.fits(spec.profile())) {
            throw new RoclusterException(root + " is " + release.name() + " (" + release.source() + ") but " + specFile
                    + " has profile " + spec.profile().id() + ", for " + RootRelease.expected(spec.profile())
                    + ": nothing changed; apply a spec of the root's distribution, or check --root");
        }
        if (!dryRun && !runningAsRoot()) {
            throw new RoclusterException("apply installs root-owned files into " + root + ": run it as root"
                    + " (or add --dry-run to see what it would change)");
        }
        StageInput input = Stages.readonly().input(new BuildContext(spec, SourceTree.locate()));
        lines.accept(root + ": " + release.name() + " (" + release.source() + "); applying " + specFile
                + (dryRun ? " (dry run)" : ""));
        Path work = Files.createTempDirectory("rocluster-apply-");
        try {
            Path stage = work.resolve("stage");
            Path out = work.resolve("out");
            input.extractTo(stage);
            Files.createDirectory(out);
            run(input, stage, root.toAbsolutePath().toString(), out, dryRun, lines);
            List<String> changes = Files.readAllLines(out.resolve("changes"), StandardCharsets.UTF_8);
            return new Result(root, release, changes, dryRun);
        } finally {
            deleteTree(work);
        }
    }

    private static void run(StageInput input, Path stage, String root, Path out, boolean dryRun,
            Consumer<String> lines) throws IOException {
        Map<String, String> env = input.environment(root, out.toString());
        env.put("STAGE", stage.resolve("readonly").toString());
        if (dryRun) {
            env.put("ROCLUSTER_DRYRUN", "1");
        }
        ProcessBuilder pb = new ProcessBuilder("sh", stage.resolve(input.script()).toString())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String last = "";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String shown = line.startsWith(PREFIX) ? line.substring(PREFIX.length()) : line;
                lines.accept(shown);
                last = shown;
            }
        }
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new RoclusterException("interrupted while applying to " + root);
        }
        if (code != 0) {
            throw new RoclusterException("apply stopped in " + root + " (exit " + code + "): " + last
                    + "; the changes listed above were made: fix the cause and run apply again, it redoes only what is left");
        }
    }

    /** The effective user is root: /proc/self belongs to the process's effective uid. */
    private static boolean runningAsRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
