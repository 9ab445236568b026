package io.rocluster.cli;

import io.rocluster.registry.Reference;
import io.rocluster.registry.SyncService;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rocluster sync REF}: make the master follow a tag. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {
            "Make the master follow a registry tag (run it from a timer).",
            "Deploys the version the tag names if missing (pull + deploy, every check), boot-tests it if asked, "
                + "and switches to it: promote when newer than the active version, rollback when older (the tag "
                + "moved back). Nothing is written when it is already active."})
public final class SyncCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "REF", description = "HOST[:PORT]/REPOSITORY:TAG, e.g. a channel such as :stable")
    String ref;

    @Option(names = "--require-boot-test",
            description = "Boot-test the version unless it passed already; switch only after a pass.")
    boolean requireBootTest;

    @Option(names = "--group", paramLabel = "NAME",
            description = "Make this node group follow the tag (default: the clients without a group).")
    String group;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SyncService.Result r = new SyncService(master.layout(), System.getenv(), System.err)
                .sync(Reference.parse(ref), requireBootTest, group);
        PrintWriter out = spec.commandLine().getOut();
        String got = r.deployed().pull() == null ? "" : String.format(" (deployed: fetched %s, %s copied from the last pull)",
                ByteSizes.human(r.deployed().pull().fetchedBytes()), ByteSizes.human(r.deployed().pull().reusedBytes()));
        String in = group == null || group.equals("default") ? "" : " in group " + group;
        switch (r.action()) {
            case "none" -> out.println("sync " + r.ref() + ": " + r.version() + " is already active" + in + ": nothing changed");
            case "rollback" -> out.println("sync " + r.ref() + ": rolled back to " + r.version() + in + " (was " + r.from()
                    + "; the tag moved back)" + got);
            default -> out.println("sync " + r.ref() + ": promoted " + r.version() + in
                    + (r.from() == null ? "" : " (was " + r.from() + ")") + got);
        }
        out.flush();
        return 0;
    }
}
