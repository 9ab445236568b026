package io.rocluster.cli;

import io.rocluster.registry.PullService;
import io.rocluster.registry.Reference;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rocluster pull REF}: recreate a pushed artefact directory. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {
            "Recreate the artefact directory a tag names, byte for byte.",
            "It is written as OUTPUT/NAME/VERSION.",
            "Every blob is checked against its digest; rootfs frames that versions of the same image in OUTPUT "
                + "already have are copied, not fetched. Written aside, renamed when complete."})
public final class PullCommand implements Callable<Integer> {

    @Parameters(paramLabel = "REF", description = "HOST[:PORT]/REPOSITORY:TAG")
    String ref;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "output",
            description = "The artefact store to write into (default: ${DEFAULT-VALUE}).")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PullService.Result r = new PullService(System.getenv(), System.err).pull(Reference.parse(ref), output, List.of());
        PrintWriter out = spec.commandLine().getOut();
        if (!r.changed()) {
            out.println(r.artefact() + " already holds this artefact: nothing fetched");
        } else {
            out.println("pulled " + r.version() + " into " + r.artefact() + ": fetched " + r.fetched() + " of " + r.blobs()
                    + " blobs (" + ByteSizes.human(r.fetchedBytes()) + "), " + ByteSizes.human(r.reusedBytes())
                    + " copied from versions here");
        }
        out.flush();
        return 0;
    }
}
