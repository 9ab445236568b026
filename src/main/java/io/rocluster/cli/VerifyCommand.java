package io.rocluster.cli;

import io.rocluster.master.VerifyService;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster verify VERSION}: a deployed tree against its manifest. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
            "Check a deployed version against its manifest.",
            "Names every modified, missing, extra or changed-metadata entry of the per-file index.",
            "Exit 1 if any."})
public final class VerifyCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "VERSION")
    String version;

    @Option(names = "--json", description = "Print the report as a JSON object (exit 1 still means differences).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        VerifyService.Report r = new VerifyService(master.layout(), System.err).verify(version);
        if (json) {
            JsonOutput.print(spec, r);
            return r.intact() ? 0 : 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        for (VerifyService.Problem p : r.problems()) {
            out.println(p.kind() + "\t" + p.path() + "\t" + p.detail());
        }
        out.println(r.intact() ? version + ": intact (" + r.entries() + " entries and the boot files match the manifest)"
                : version + ": " + r.problems().size() + " difference(s) from the manifest");
        out.flush();
        return r.intact() ? 0 : 1;
    }
}
