package io.rocluster.cli;

import io.rocluster.master.PromoteService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code rocluster rollback [--to VERSION]}: return to the previous (or a given) version. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Switch back to the version active before the current one (or --to VERSION).")
public final class RollbackCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Option(names = "--to", paramLabel = "VERSION", description = "A deployed version to switch to.")
    String to;

    @Option(names = "--group", paramLabel = "NAME",
            description = "Roll back this node group only (default: the clients without a group).")
    String group;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded in history.jsonl).")
    String reason;

    @Option(names = "--json", description = "Print the switch as a JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PromoteService.Result r = new PromoteService(master.layout(), System.err).rollback(group, to, reason);
        SwitchOutput.print(spec, "rolled back to", r, json);
        return 0;
    }
}
