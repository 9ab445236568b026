package io.rocluster.cli;

import io.rocluster.master.GcService;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code rocluster gc [--keep N] [--dry-run]}. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {
            "Remove old versions.",
            "Keeps the N most recently deployed plus, always, the active version, the rollback target and "
                + "pinned versions."})
public final class GcCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "3",
            description = "Most recently deployed versions to keep besides the protected ones (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--dry-run", description = "Say what would be removed; change nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print what was (or would be) removed and kept as a JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        GcService.Result r = new GcService(master.layout(), System.err).gc(keep, dryRun);
        if (json) {
            JsonOutput.print(spec, r);
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        describe(r).forEach(out::println);
        out.flush();
        return 0;
    }

    /** What gc did (or would do), one line per version, then the space freed. */
    static java.util.List<String> describe(GcService.Result r) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (String v : r.removed()) {
            lines.add((r.dryRun() ? "would remove " : "removed ") + v);
        }
        for (String v : r.kept()) {
            lines.add("kept " + v);
        }
        lines.add((r.dryRun() ? "would free " : "freed ") + ByteSizes.human(r.freedBytes()));
        return lines;
    }
}
