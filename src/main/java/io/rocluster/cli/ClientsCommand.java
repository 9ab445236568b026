package io.rocluster.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code rocluster clients add|set|remove|list}: the master's clients, their MACs and node groups. */
@Command(name = "clients", description = {"Register clients: state directories (state/FQDN), MACs, node groups.",
            "A client of a node group boots its group's version; the others the default group's."},
        subcommands = {ClientsAddCommand.class, ClientsSetCommand.class, ClientsRemoveCommand.class,
            ClientsListCommand.class})
public final class ClientsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing verb: see rocluster clients --help");
    }
}
