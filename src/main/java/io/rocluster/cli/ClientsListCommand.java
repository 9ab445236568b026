package io.rocluster.cli;

import io.rocluster.master.ClientsService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/** {@code rocluster clients list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the clients' state directories.")
public final class ClientsListCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        for (ClientsService.Client c : new ClientsService(master.layout(), System.err).list()) {
            spec.commandLine().getOut().println(c.fqdn() + "\t" + c.modified() + "\t" + c.path());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
