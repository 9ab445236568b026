package io.rocluster.cli;

import io.rocluster.master.ClientsService;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rocluster clients set FQDN [--group NAME] [--mac MAC]}. */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Move a client to another node group, or change its MAC.",
            "It boots its new group's version from its next boot on."})
public final class ClientsSetCommand implements Callable<Integer> {

    @Mixin
    MasterOption master;

    @Parameters(paramLabel = "FQDN", description = "A registered client.")
    String fqdn;

    @Option(names = "--group", paramLabel = "NAME", description = "Its node group; 'default' leaves its group.")
    String group;

    @Option(names = "--mac", paramLabel = "MAC", description = "Its boot MAC.")
    String mac;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ClientsService.Client c = new ClientsService(master.layout(), System.err).set(fqdn, group, mac);
        spec.commandLine().getOut().println(c.fqdn() + (c.mac() == null ? "" : " " + c.mac()) + " is in group "
                + c.group() + "; it boots " + (c.bootsNext() == null ? "nothing yet (nothing promoted)" : c.bootsNext())
                + " at its next boot");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
