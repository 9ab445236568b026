package io.rocluster.cli;

import io.rocluster.master.ClientsService;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code rocluster clients list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the clients' state directories.")
public final class ClientsListCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<ClientsService.Client> clients = new ClientsService(master.layout(), System.err).list();
        if (json) {
            JsonOutput.print(spec, clients);
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        for (ClientsService.Client c : clients) {
            out.println(c.fqdn() + "\t" + c.modified() + "\t" + c.path());
        }
        out.flush();
        return 0;
    }
}
