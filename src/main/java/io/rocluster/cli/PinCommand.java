package io.rocluster.cli;

import io.rocluster.master.PinService;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code rocluster pin VERSION}: keep a version through gc. {@link UnpinCommand} is the same verb the other
 * way, so it only says which way.
 */
@Command(name = "pin", mixinStandardHelpOptions = true, description = "Keep a deployed version: gc never removes it.")
public class PinCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "VERSION")
    String version;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** True to pin, false to unpin. */
    boolean pin() {
        return true;
    }

    @Override
    public final Integer call() {
        PinService pins = new PinService(master.layout(), System.err);
        boolean changed = pin() ? pins.pin(version) : pins.unpin(version);
        PrintWriter out = spec.commandLine().getOut();
        if (pin()) {
            out.println(changed ? "pinned " + version : version + " was already pinned");
        } else {
            out.println(changed ? "unpinned " + version : version + " was not pinned");
        }
        out.flush();
        return 0;
    }
}
