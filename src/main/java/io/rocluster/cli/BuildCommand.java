package io.rocluster.cli;

import io.rocluster.archive.SourceDateEpoch;
import io.rocluster.build.BuildListener;
import io.rocluster.build.BuildRequest;
import io.rocluster.build.BuildResult;
import io.rocluster.build.ImageBuilder;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster build SPEC}: a versioned artefact directory from an image spec. */
@Command(name = "build",
        description = {
            "Build the image a spec describes into a versioned artefact directory.",
            "Runs in a builder container (Docker) and writes OUTPUT/<name>/<version>/: rootfs tarball, "
                + "vmlinuz, initramfs.img, manifest.json, SHA256SUMS, build.log. Stages already built with the "
                + "same inputs come from the stage cache.",
            "With --sign-key (or ROCLUSTER_SIGN_KEY) the last step signs SHA256SUMS (SHA256SUMS.minisig), so the "
                + "artefact never exists unsigned."})
public final class BuildCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC", description = "Image spec (YAML or JSON).")
    Path spec;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Option(names = "--version", paramLabel = "V", description = "Version to build (never overwrites an existing one).")
    String version;

    @Option(names = "--nightly", description = "Use the next free version YYYY.MM.DD.N of today (UTC).")
    boolean nightly;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "output",
            description = "Artefact store (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--no-cache", description = "Run every stage, ignoring the stage cache.")
    boolean noCache;

    @Option(names = "--if-changed",
            description = "Build only if something changed since the newest artefact of the image: the spec, a stage "
                    + "script, the builder image, or a package the mirror would install now. Else print 'unchanged "
                    + "since VERSION' and make nothing.")
    boolean ifChanged;

    @Option(names = "--keep-container", description = "Leave the builder container in place (to look inside).")
    boolean keepContainer;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    @Option(names = "--sign-key", paramLabel = "FILE", defaultValue = "${env:ROCLUSTER_SIGN_KEY}",
            description = "Sign the artefact with this secret key (default: $ROCLUSTER_SIGN_KEY).")
    Path signKey;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "First line: the passphrase of a sign key encrypted by minisign -G.")
    Path passphraseFile;

    @Override
    public Integer call() throws Exception {
        Printer printer = new Printer(System.err);
        BuildResult r;
        try {
            r = new ImageBuilder(printer).build(new BuildRequest(spec, output, Optional.ofNullable(version), nightly,
                    noCache, keepContainer, SourceDateEpoch.resolve(null, System.getenv()), signKey, passphraseFile,
                    ifChanged));
        } finally {
            printer.progress.finish();
        }
        if (json) {
            JsonOutput.print(commandSpec, r.forJson());
            return 0;
        }
        PrintWriter out = commandSpec.commandLine().getOut();
        r.summary().forEach(out::println);
        out.flush();
        return 0;
    }

    /**
     * One line per stage on stderr; on a terminal also the running step ("step 3 of 5", from the plan the build
     * announces first) and a progress bar while the root streams out.
     */
    static final class Printer implements BuildListener {
        private final PrintStream err;
        private final boolean terminal = TerminalProgress.stderrIsTerminal();
        final TerminalProgress progress;
        private List<String> steps = List.of();
        private String pending = "";

        Printer(PrintStream err) {
            this.err = err;
            this.progress = new TerminalProgress(err, terminal);
        }

        @Override
        public void note(String line) {
            err.println("rocluster: " + line);
        }

        @Override
        public void planned(List<BuildListener.PlannedStep> steps) {
            this.steps = steps.stream().map(BuildListener.PlannedStep::name).toList();
        }

        @Override
        public void stageStarted(String stage) {
            if (terminal) {
                // Redrawn by the stage's result line (or the stream's bar): only a terminal sees it.
                pending = String.format("rocluster: %-10s … step %d of %d", stage, steps.indexOf(stage) + 1,
                        steps.size());
                err.print(pending + "\r");
                err.flush();
            }
        }

        @Override
        public void stageFinished(String stage, boolean cached, Duration elapsed) {
            progress.finish();
            result(String.format("rocluster: %-10s %s", stage,
                    cached ? "cached" : String.format("%.1f s", elapsed.toMillis() / 1000.0)));
        }

        @Override
        public void stageFailed(String stage, int exitCode, List<String> failingLines) {
            result(String.format("rocluster: %-10s failed (exit %d):", stage, exitCode));
            failingLines.forEach(l -> err.println("    " + l));
        }

        /** A step's result line, over the step line on a terminal (blanking what is left of a longer one). */
        private void result(String line) {
            err.println(line.length() < pending.length() ? line + " ".repeat(pending.length() - line.length()) : line);
            pending = "";
        }

        @Override
        public void streaming(long done, long total) {
            progress.update("streaming the root", done, total);
        }
    }
}
