package io.rocluster.cli;

import io.rocluster.master.DeployRecord;
import io.rocluster.master.DeployService;
import io.rocluster.registry.PullService;
import io.rocluster.registry.Reference;
import io.rocluster.registry.RegistryDeployService;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster deploy ARTEFACT|REF}: put a built version on the master. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {
            "Check an artefact and deploy it on the master as images/VERSION.",
            "ARTEFACT may be a registry reference HOST[:PORT]/REPOSITORY:TAG: the version is pulled into an artefact "
                + "directory under the master's .pulls/ and deployed with the same checks.",
            "Complete or not at all; files identical to the newest deployed version are hardlinked.",
            "On a master that trusts signing keys (rocluster master trust add) the artefact's SHA256SUMS must carry "
                + "a valid signature by one of them; the manifest's file index must agree with the rootfs tar, "
                + "content digests included.",
            "The same artefact again does nothing."})
public final class DeployCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "ARTEFACT", description = "An artefact directory (output/NAME/VERSION) or a registry reference.")
    String artefact;

    @Option(names = "--allow-unsigned",
            description = "Deploy without a trusted signature (unsigned, or an untrusted key); recorded in deploy.json.")
    boolean allowUnsigned;

    @Option(names = "--json", description = "Print the result, the version's deploy record and what a pull fetched "
            + "as a JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * What {@code deploy --json} prints, the same for a directory and a registry reference.
     *
     * @param version the version
     * @param changed false when it was already deployed from this artefact
     * @param record  the version's deploy.json
     * @param pull    what was fetched from the registry; null for a directory, or when nothing was pulled
     */
    record Json(String version, boolean changed, DeployRecord record, PullService.Result pull) {}

    @Override
    public Integer call() {
        long started = System.nanoTime();
        TerminalProgress progress = new TerminalProgress(System.err, TerminalProgress.stderrIsTerminal());
        DeployService.Result r;
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (Reference.looksLikeReference(artefact) && !Files.exists(Path.of(artefact))) {
                RegistryDeployService.Result rr = new RegistryDeployService(master.layout(), System.getenv(), System.err)
                        .deploy(Reference.parse(artefact), allowUnsigned, progress::update);
                if (rr.pull() == null) {
                    if (json) {
                        JsonOutput.print(spec, new Json(rr.version(), false, DeployRecord.read(master.layout(),
                                rr.version()), null));
                        return 0;
                    }
                    out.println(rr.version() + " is already deployed from this artefact: nothing fetched or changed");
                    out.flush();
                    return 0;
                }
                if (json) {
                    JsonOutput.print(spec, new Json(rr.version(), rr.changed(), rr.deploy().record(), rr.pull()));
                    return 0;
                }
                out.printf("pulled %s from %s: fetched %d of %d blobs (%s), %s copied from the last pull%n",
                        rr.version(), artefact, rr.pull().fetched(), rr.pull().blobs(),
                        ByteSizes.human(rr.pull().fetchedBytes()), ByteSizes.human(rr.pull().reusedBytes()));
                r = rr.deploy();
            } else {
                r = new DeployService(master.layout(), System.err).deploy(Path.of(artefact), allowUnsigned, progress::update);
            }
        } finally {
            progress.finish();
        }
        if (json) {
            JsonOutput.print(spec, new Json(r.version(), r.changed(), r.record(), null));
            return 0;
        }
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
