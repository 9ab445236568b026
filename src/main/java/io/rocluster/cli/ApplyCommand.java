package io.rocluster.cli;

import io.rocluster.build.ApplyService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rocluster apply SPEC --root DIR [--dry-run]}. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {
            "Apply a spec's read-only configuration to an existing root directory.",
            "The build's readonly stage, offline and without Docker, for a client root made by hand: "
                + "readonly-root, rwtab.d, statetab.d, fstab, dracut.conf.d, units disabled and masked, and the "
                + "clean-up of host-specific files (hostname, rpm __db*, ifcfg files but lo, SSH host keys, "
                + "random seed).",
            "Each change is listed; a second run changes nothing. A root of another distribution than the "
                + "spec's profile is refused and left untouched."})
public final class ApplyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SPEC", description = "The image spec.")
    Path specFile;

    @Option(names = "--root", paramLabel = "DIR", required = true,
            description = "The client's root directory (e.g. an NFS export).")
    Path root;

    @Option(names = "--dry-run", description = "List what would change; write nothing.")
    boolean dryRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        new ApplyService().apply(specFile, root, dryRun, line -> {
            out.println(line);
            out.flush();
        });
        return 0;
    }
}
