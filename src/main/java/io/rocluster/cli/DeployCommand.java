package io.rocluster.cli;

import io.rocluster.master.DeployRecord;
import io.rocluster.master.DeployService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster deploy ARTEFACT}: put a built version on the master. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {
            "Check an artefact and deploy it on the master as images/VERSION.",
            "Complete or not at all; files identical to the newest deployed version are hardlinked.",
            "On a master that trusts signing keys (rocluster master trust add) the artefact's SHA256SUMS must carry "
                + "a valid signature by one of them; the manifest's file index must agree with the rootfs tar, "
                + "content digests included.",
            "The same artefact again does nothing."})
public final class DeployCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "ARTEFACT", description = "An artefact directory (output/NAME/VERSION).")
    Path artefact;

    @Option(names = "--allow-unsigned",
            description = "Deploy without a trusted signature (unsigned, or an untrusted key); recorded in deploy.json.")
    boolean allowUnsigned;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        long started = System.nanoTime();
        TerminalProgress progress = new TerminalProgress(System.err, TerminalProgress.stderrIsTerminal());
        DeployService.Result r;
        try {
            r = new DeployService(master.layout(), System.err).deploy(artefact, allowUnsigned, progress::update);
        } finally {
            progress.finish();
        }
        PrintWriter out = spec.commandLine().getOut();
        describe(r, (System.nanoTime() - started) / 1e9).forEach(out::println);
        out.flush();
        return 0;
    }

    /** The report of a deploy that took {@code seconds}: what it wrote and shared, then whose signature it checked. */
    static java.util.List<String> describe(DeployService.Result r, double seconds) {
        DeployRecord d = r.record();
        if (!r.changed()) {
            return java.util.List.of(r.version() + " is already deployed from this artefact: nothing changed");
        }
        return java.util.List.of(String.format("deployed %s in %.1f s: %d files written (%s)", r.version(), seconds,
                        d.filesWritten(), ByteSizes.human(d.bytesWritten()))
                        + (d.dedupBase() == null ? "; nothing shared with an earlier version"
                                : String.format(", %d unchanged files hardlinked to %s (%s)", d.filesLinked(),
                                        d.dedupBase(), ByteSizes.human(d.bytesLinked()))),
                d.signed() ? "signed by trusted key " + d.signer() : "unsigned: no trusted signature was verified");
    }
}
