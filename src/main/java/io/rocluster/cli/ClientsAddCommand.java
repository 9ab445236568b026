package io.rocluster.cli;

import io.rocluster.master.ClientsService;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster clients add FQDN… [--mac MAC] [--group NAME]}. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Register clients and create their state directories state/FQDN.",
            "FQDN is the client's hostname as DHCP gives it; clients already there are kept."})
public final class ClientsAddCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "FQDN", arity = "1..*")
    List<String> fqdns;

    @Option(names = "--mac", paramLabel = "MAC",
            description = "The client's boot MAC (one client), e.g. 52:54:00:12:34:56.")
    String mac;

    @Option(names = "--group", paramLabel = "NAME",
            description = "Its node group (needs --mac); without one: the default group.")
    String group;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<ClientsService.Client> created = new ClientsService(master.layout(), System.err).add(fqdns, mac, group);
        PrintWriter out = spec.commandLine().getOut();
        for (ClientsService.Client c : created) {
            out.println("added " + c.fqdn() + (c.mac() == null ? "" : " " + c.mac()) + " in group " + c.group()
                    + " (state " + c.path() + ")");
        }
        if (created.size() < fqdns.size()) {
            out.println((fqdns.size() - created.size()) + " already registered");
        }
        out.flush();
        return 0;
    }
}
