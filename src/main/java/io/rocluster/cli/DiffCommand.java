package io.rocluster.cli;

import io.rocluster.artefact.ManifestDiff;
import io.rocluster.master.DiffService;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster diff OLD NEW}: what changed between two versions, from their manifests. */
@Command(name = "diff",
        description = {
            "Show what changed between two versions: kernel, packages, spec and files.",
            "Each of OLD and NEW is an artefact directory (output/<name>/<version>) or a version deployed on "
                + "the master. Only the manifests are read. Files whose only difference is the mtime are "
                + "counted, not listed."})
public final class DiffCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(index = "0", paramLabel = "OLD", description = "Older version or artefact directory.")
    String older;

    @Parameters(index = "1", paramLabel = "NEW", description = "Newer version or artefact directory.")
    String newer;

    @Option(names = "--files", description = "List every changed file, not only the counts.")
    boolean listFiles;

    @Option(names = "--json", description = "Print the whole difference as JSON (every file included).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ManifestDiff d = new DiffService(master.layout()).diff(older, newer);
        if (json) {
            JsonOutput.print(spec, d);
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        d.report(listFiles).forEach(out::println);
        out.flush();
        return 0;
    }
}
