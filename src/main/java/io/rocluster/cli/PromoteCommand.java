package io.rocluster.cli;

import io.rocluster.master.PromoteService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster promote VERSION}: make a deployed version the one clients boot next. */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = {"Make a deployed version the one clients boot next.",
            "It becomes the default boot entry of the group's menus; earlier versions stay in them."})
public final class PromoteCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "VERSION", description = "A deployed version.")
    String version;

    @Option(names = "--require-boot-test",
            description = "Refuse unless images/VERSION/boot-test.json records a passed boot test of VERSION.")
    boolean requireBootTest;

    @Option(names = "--group", paramLabel = "NAME",
            description = "Promote to this node group only (default: the clients without a group).")
    String group;

    @Option(names = "--allow-unsigned",
            description = "On a master that trusts signing keys, promote a version deployed unsigned anyway.")
    boolean allowUnsigned;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded in history.jsonl).")
    String reason;

    @Option(names = "--json", description = "Print the switch as a JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PromoteService.Result r = new PromoteService(master.layout(), System.err).promote(version, group,
                requireBootTest, allowUnsigned, reason);
        SwitchOutput.print(spec, "promoted", r, json);
        return 0;
    }
}
