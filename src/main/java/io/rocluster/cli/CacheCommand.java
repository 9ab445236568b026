package io.rocluster.cli;

import io.rocluster.build.StageCache;
import io.rocluster.container.DockerEngine;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rocluster cache list|prune}: the build's stage cache (Docker images rocluster-cache:<digest>). */
@Command(name = "cache",
        description = {"Show or empty the stage cache.",
            "Each cached stage is a Docker image " + StageCache.REPOSITORY + ":<stage digest>."},
        subcommands = {CacheCommand.ListCommand.class, CacheCommand.PruneCommand.class})
public final class CacheCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list or prune");
    }

    /** {@code cache list [--json]}. */
    @Command(name = "list", description = "List the cache entries, newest first.")
    static final class ListCommand implements Callable<Integer> {
        @Option(names = "--json", description = "Print a JSON array (sizes in bytes).")
        boolean json;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<StageCache.Entry> entries = new StageCache(DockerEngine.connect()).list();
            if (json) {
                JsonOutput.print(spec, entries);
                return 0;
            }
            PrintWriter out = spec.commandLine().getOut();
            for (StageCache.Entry e : entries) {
                out.printf("%-10s %s  %-24s %-20s %s%n", e.stage(), e.digest().substring(0, 16), e.created(),
                        e.image(), ByteSizes.human(e.size()));
            }
            out.println(entries.size() + " entries (bound: " + StageCache.keep() + ", ROCLUSTER_CACHE_KEEP)");
            out.flush();
            return 0;
        }
    }

    /** {@code cache prune [--keep N]}. */
    @Command(name = "prune", description = "Remove cache entries: all of them, or all but the N newest.")
    static final class PruneCommand implements Callable<Integer> {
        @Option(names = "--keep", paramLabel = "N", defaultValue = "0",
                description = "Keep the N newest entries (default: ${DEFAULT-VALUE}).")
        int keep;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            StageCache cache = new StageCache(DockerEngine.connect());
            int removed = cache.prune(keep);
            PrintWriter out = spec.commandLine().getOut();
            out.println("removed " + removed + " cache entries; " + cache.list().size() + " left");
            out.flush();
            return 0;
        }
    }
}
