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
            "It becomes the default boot entry; earlier versions stay in the menu."})
public final class PromoteCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "VERSION", description = "A deployed version.")
    String version;

    @Option(names = "--require-boot-test",
            description = "Refuse unless images/VERSION/boot-test.json records a passed boot test of VERSION.")
    boolean requireBootTest;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded in history.jsonl).")
    String reason;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PromoteService.Result r = new PromoteService(master.layout(), System.err).promote(version, requireBootTest, reason);
        spec.commandLine().getOut().println(SwitchOutput.describe("promoted", r));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
