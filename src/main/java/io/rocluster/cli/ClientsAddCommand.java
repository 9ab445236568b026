package io.rocluster.cli;

import io.rocluster.master.ClientsService;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code rocluster clients add FQDN…}. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Create the state directory state/FQDN of each client.",
            "FQDN is the client's hostname as DHCP gives it; existing directories are kept."})
public final class ClientsAddCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "FQDN", arity = "1..*")
    List<String> fqdns;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<ClientsService.Client> created = new ClientsService(master.layout(), System.err).add(fqdns);
        for (ClientsService.Client c : created) {
            spec.commandLine().getOut().println("added " + c.fqdn() + " (" + c.path() + ")");
        }
        if (created.size() < fqdns.size()) {
            spec.commandLine().getOut().println((fqdns.size() - created.size()) + " already existed");
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
