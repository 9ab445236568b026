package io.rocluster.cli;

import io.rocluster.RoclusterException;
import io.rocluster.archive.SourceDateEpoch;
import io.rocluster.boot.BootVerdict;
import io.rocluster.build.BuildResult;
import io.rocluster.master.DeployService;
import io.rocluster.master.GcService;
import io.rocluster.master.PromoteService;
import io.rocluster.nightly.NightlyRequest;
import io.rocluster.nightly.NightlyService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rocluster nightly SPEC}: the nightly job, build to promote, in one command. */
@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = {
            "The nightly job: build SPEC if changed, deploy, boot-test, promote, gc.",
            "build --nightly --if-changed, then deploy, boot-test (PXE, as clients boot), promote "
                + "--require-boot-test and gc --keep N, each step's outcome printed. A failing step exits 1 "
                + "and the clients stay on the active version; a night with nothing new exits 0 and says so."})
public final class NightlyCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "SPEC", description = "Image spec (YAML or JSON).")
    Path spec;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "output",
            description = "Artefact store (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "5",
            description = "Versions gc keeps besides the active, rollback and pinned ones (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--use-cache",
            description = "Reuse the stage cache. By default a changed night builds from a fresh root: the cache is "
                    + "keyed on the spec and scripts, not on the mirror.")
    boolean useCache;

    @Option(names = "--boot-timeout", paramLabel = "S", defaultValue = "900",
            description = "Seconds the boot test's guest may take (default: ${DEFAULT-VALUE}).")
    long bootTimeout;

    @Option(names = "--sign-key", paramLabel = "FILE", defaultValue = "${env:ROCLUSTER_SIGN_KEY}",
            description = "Sign the artefact with this secret key, as build does (default: $ROCLUSTER_SIGN_KEY).")
    Path signKey;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "First line: the passphrase of a sign key encrypted by minisign -G.")
    Path passphraseFile;

    @Option(names = "--json", description = "Print what each step did as one JSON object on stdout.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() throws Exception {
        if (keep < 0) {
            throw new CommandLine.ParameterException(commandSpec.commandLine(), "--keep must be 0 or more, not " + keep);
        }
        Report report = new Report(commandSpec, json);
        BuildCommand.Printer printer = new BuildCommand.Printer(System.err);
        TerminalProgress progress = new TerminalProgress(System.err, TerminalProgress.stderrIsTerminal());
        try {
            NightlyService.Outcome o = new NightlyService(System.err).run(new NightlyRequest(spec, output,
                    master.layout(), keep, useCache, Duration.ofSeconds(bootTimeout),
                    SourceDateEpoch.resolve(null, System.getenv()), signKey, passphraseFile), printer, progress::update,
                    report);
            report.line("nightly", o.promoted() ? o.version() + " promoted: clients boot it at their next boot"
                    : "nothing new: clients boot " + (o.active() == null ? "no version yet" : o.active()));
            report.json.put("version", o.version());
            report.json.put("active", o.active());
            report.finish(true, null);
            return 0;
        } catch (RoclusterException e) {
            report.finish(false, e.getMessage());
            throw e;
        } finally {
            printer.progress.finish();
            progress.finish();
        }
    }

    /**
     * Prints each step's outcome as it ends, "STEP: what happened" in the words of the step's own verb; with
     * {@code --json}, collects them and prints one object at the end instead.
     */
    private static final class Report implements NightlyService.Listener {
        private final PrintWriter out;
        private final boolean asJson;
        final Map<String, Object> json = new LinkedHashMap<>();

        private final CommandLine.Model.CommandSpec spec;

        Report(CommandLine.Model.CommandSpec spec, boolean asJson) {
            this.spec = spec;
            this.out = spec.commandLine().getOut();
            this.asJson = asJson;
        }

        void line(String step, String text) {
            if (!asJson) {
                out.println(step + ": " + text);
                out.flush();
            }
        }

        @Override
        public void built(BuildResult r) {
            r.summary().forEach(l -> line("build", l));
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("unchanged", r.unchanged());
            b.put("version", r.version());
            b.put("artefact", r.artefact().toString());
            b.put("rootfsSha256", r.rootfsSha256());
            json.put("build", b);
            if (r.unchanged()) {
                json.put("unchanged", true);
                json.put("sameAs", r.version());
            }
        }

        @Override
        public void deployed(DeployService.Result r, Duration took) {
            DeployCommand.describe(r, took.toMillis() / 1000.0).forEach(l -> line("deploy", l));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("changed", r.changed());
            d.put("filesWritten", r.record().filesWritten());
            d.put("bytesWritten", r.record().bytesWritten());
            d.put("filesLinked", r.record().filesLinked());
            d.put("dedupBase", r.record().dedupBase());
            d.put("signer", r.record().signer());
            json.put("deploy", d);
        }

        @Override
        public void bootTested(BootVerdict v) {
            v.summary().forEach(l -> line("boot-test", l));
            json.put("bootTest", Map.of("passed", v.passed(), "reason", v.reason() == null ? "" : v.reason()));
        }

        @Override
        public void promoted(PromoteService.Result r) {
            line("promote", SwitchOutput.describe("promoted", r));
            json.put("promote", Map.of("changed", r.changed(), "to", r.to(), "generation", r.generation()));
        }

        @Override
        public void collected(GcService.Result r) {
            GcCommand.describe(r).forEach(l -> line("gc", l));
            json.put("gc", Map.of("removed", r.removed(), "kept", r.kept(), "freedBytes", r.freedBytes()));
        }

        @Override
        public void skipped(String step, String why) {
            line(step, "skipped: " + why);
            json.put(step.equals("boot-test") ? "bootTest" : step, Map.of("skipped", why));
        }

        /** With --json, the one object, through the one JSON printer; on failure it carries the error (exit 1). */
        void finish(boolean ok, String error) {
            if (!asJson) {
                return;
            }
            json.put("ok", ok);
            json.put("error", error);
            JsonOutput.print(spec, json);
        }
    }
}
