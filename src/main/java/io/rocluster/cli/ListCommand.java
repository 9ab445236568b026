package io.rocluster.cli;

import io.rocluster.master.ListService;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code rocluster list [--json]}: deployed versions. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {
            "List deployed versions with their state and disk use.",
            "State: active, rollback, deployed, pinned; deployment time, rootfs digest, the trusted key that "
                + "signed it (or unsigned), boot test, disk used alone and shared with other versions (dedup "
                + "hardlinks)."})
public final class ListCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Option(names = "--json", description = "Print a JSON array (sizes in bytes).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<ListService.Entry> entries = new ListService(master.layout(), System.err).list();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(spec, entries);
            return 0;
        }
        if (entries.isEmpty()) {
            out.println("no versions deployed on " + master.layout().root() + " (rocluster deploy ARTEFACT)");
        } else {
            String fmt = "%-24s %-17s %-24s %-12s %-16s %-7s %10s %10s%n";
            out.printf(fmt, "VERSION", "STATE", "DEPLOYED", "DIGEST", "SIGNER", "BOOT", "ALONE", "SHARED");
            for (ListService.Entry e : entries) {
                out.printf(fmt, e.version(), e.stateLabel(), e.deployedAt(), e.digest().substring(0, 12), e.signer(),
                        e.bootTest(), ByteSizes.human(e.aloneBytes()), ByteSizes.human(e.sharedBytes()));
            }
        }
        out.flush();
        return 0;
    }
}
