package io.rocluster.cli;

import io.rocluster.master.ClientsService;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rocluster clients remove FQDN [--purge]}. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Unregister a client; its state directory is kept unless --purge."})
public final class ClientsRemoveCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "FQDN", description = "A registered client.")
    String fqdn;

    @Option(names = "--purge", description = "Also delete its state directory state/FQDN (its logs, SSH keys).")
    boolean purge;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ClientsService.Client c = new ClientsService(master.layout(), System.err).remove(fqdn, purge);
        spec.commandLine().getOut().println("removed " + fqdn + (purge ? "; deleted " + c.path()
                : c.stateKept() ? "; kept its state " + c.path() : ""));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
