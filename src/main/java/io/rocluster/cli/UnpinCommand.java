package io.rocluster.cli;

import io.rocluster.master.PinService;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rocluster unpin VERSION}: let gc remove a version again. */
@Command(name = "unpin", mixinStandardHelpOptions = true, description = "Let gc remove a version again.")
public final class UnpinCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "VERSION")
    String version;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        boolean changed = new PinService(master.layout(), System.err).unpin(version);
        spec.commandLine().getOut().println(changed ? "unpinned " + version : version + " was not pinned");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
