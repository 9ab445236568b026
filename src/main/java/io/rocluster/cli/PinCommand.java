package io.rocluster.cli;

import io.rocluster.master.PinService;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rocluster pin VERSION}: keep a version through gc. */
@Command(name = "pin", mixinStandardHelpOptions = true, description = "Keep a deployed version: gc never removes it.")
public final class PinCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "VERSION")
    String version;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        boolean changed = new PinService(master.layout(), System.err).pin(version);
        spec.commandLine().getOut().println(changed ? "pinned " + version : version + " was already pinned");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
